// The MLP the planner's tests draw: examples/layers.ts, a 3-4-4-1 network of tanh neurons written as
// neuron/layer/mlp functions, its squared-error loss summed over 4 examples (58 leaves: the inputs, the
// targets and every weight). Evaluated for real by the tests that use it.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const MLP_SOURCE = readFileSync(path.join(__dirname, '..', '..', 'examples', 'layers.ts'), 'utf8');
