/** The autograd engine: pure TypeScript (no `vscode`, no Node-only API), so it runs anywhere. */
export { OPS, OP_NAMES, OP_CODE, LEAF, CONST, powScalar, type OpName } from './ops.ts';
export { Tape, type SourceRange } from './tape.ts';
export { Value, noGrad, getTape, useTape, unary, binary, nary, type ValueLike } from './value.ts';
export { gradcheck, type GradcheckResult } from './gradcheck.ts';
export { Random } from './random.ts';
export { Module, Neuron, Layer, MLP, mseLoss, hingeLoss, SGD, Adam, type Activation, type Optimizer } from './nn.ts';
