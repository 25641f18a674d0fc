// A big graph made directly as model columns (evaluating millions of nodes would take seconds): a top-level
// loop `for (let i = 0; i < n; i++) s = s + step(x, i)`, where each iteration calls `step(…)`, which makes
// a short chain of operations, and its result is added to `s`. The leaf `x` feeds every call, so edges
// leave every iteration and enter every call.
import { CONST, FIRST_OP_CODE, LEAF, OP_NAMES } from '../../src/engine/ops.ts';
import { GRAPH_MODEL_VERSION, type GraphGroup, type GraphModel, type SourceRange } from '../../src/graph/model.ts';

const MUL = FIRST_OP_CODE + OP_NAMES.indexOf('mul');
const ADD = FIRST_OP_CODE + OP_NAMES.indexOf('add');

/** `iterations` iterations, each of a constant and `chain` multiplications in `step(…)` then one addition (`chain + 2` nodes). */
export function loopGraph(iterations: number, chain = 1): GraphModel {
  const perIteration = chain + 2;
  const count = 2 + iterations * perIteration;
  const code = new Uint8Array(count);
  const data = new Float64Array(count).fill(0.5);
  const grad = new Float64Array(count).fill(1);
  const inputStart = new Int32Array(count + 1);
  const inputs = new Int32Array(2 * (count - 2));
  const label = new Int32Array(count).fill(-1);
  const site = new Int32Array(count).fill(-1);
  const group = new Int32Array(count).fill(-1);
  const loopRange: SourceRange = { startLine: 2, startCharacter: 0, endLine: 4, endCharacter: 1 };
  const stepRange: SourceRange = { startLine: 0, startCharacter: 0, endLine: 1, endCharacter: 1 };
  const groups: GraphGroup[] = new Array<GraphGroup>(2 * iterations);
  code[0] = LEAF; label[0] = 0; // x
  code[1] = LEAF; label[1] = 1; // s = 0
  let edges = 0;
  let sum = 1;
  for (let i = 0, node = 2; i < iterations; i++) {
    groups[2 * i] = { id: 2 * i, kind: 'iteration', label: `for #${i}`, range: loopRange };
    groups[2 * i + 1] = { id: 2 * i + 1, kind: 'call', label: 'step(…)', parent: 2 * i, range: stepRange };
    const constant = node++;
    code[constant] = CONST; group[constant] = 2 * i + 1; grad[constant] = 0;
    inputStart[constant] = edges; inputStart[constant + 1] = edges;
    let previous = 0;
    for (let link = 0; link < chain; link++) {
      const product = node++;
      code[product] = MUL; group[product] = 2 * i + 1; site[product] = 0;
      inputStart[product] = edges;
      inputs[edges++] = link === 0 ? 0 : previous;
      inputs[edges++] = constant;
      inputStart[product + 1] = edges;
      previous = product;
    }
    const added = node++;
    code[added] = ADD; group[added] = 2 * i; label[added] = 1; site[added] = 1;
    inputStart[added] = edges;
    inputs[edges++] = sum;
    inputs[edges++] = previous;
    inputStart[added + 1] = edges;
    sum = added;
  }
  inputStart[count] = edges;
  return {
    version: GRAPH_MODEL_VERSION, nodeCount: count, code, data, grad, inputStart, inputs: inputs.subarray(0, edges), label, site, group,
    labels: ['x', 's'], ranges: [{ startLine: 0, startCharacter: 30, endLine: 0, endCharacter: 35 }, { startLine: 3, startCharacter: 6, endLine: 3, endCharacter: 20 }], groups,
    output: sum, outputLabel: 's', leaves: [0, 1],
    source: { fileName: 'loop.ts', range: { startLine: 0, startCharacter: 0, endLine: 5, endCharacter: 0 } },
    counts: { nodes: count, leaves: 2, constants: iterations, operations: count - 2 - iterations, groups: groups.length },
    timings: { rewriteMs: 0, forwardMs: 0, backwardMs: 0, totalMs: 0 }, logs: [],
  };
}
