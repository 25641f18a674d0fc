// Shared by the tests of views: a graph model (version 2, columnar) made by hand from its nodes, written as
// plain objects for legibility, with the rest filled in. An operation is named as drawn (`*`, `tanh`); its
// local derivatives come from the op table and the data, as in a real model.
import { CONST, FIRST_OP_CODE, LEAF, OP_NAMES, OPS } from '../../src/engine/ops.ts';
import { GRAPH_MODEL_VERSION, type GraphGroup, type GraphModel, type SourceRange } from '../../src/graph/model.ts';

export interface FixtureNode {
  readonly id: number;
  readonly kind: 'leaf' | 'const' | 'op';
  readonly op?: string;
  readonly label?: string;
  readonly data: number;
  readonly grad: number;
  readonly inputs: readonly number[];
  readonly range?: SourceRange;
  readonly group?: number;
  /** Ignored (cuts and local derivatives come from the op table); allowed for legibility. */
  readonly cut?: true;
  readonly local?: readonly number[];
}

/** The op code for an operation named as drawn, by its arity where names are shared (`+`: add or sum). */
function codeOf(op: string, arity: number): number {
  const candidates = OP_NAMES.filter((name) => OPS[name].name === op && name !== 'powConst');
  const match = candidates.find((name) => OPS[name].arity === arity) ?? candidates.find((name) => OPS[name].arity === 'n');
  if (match === undefined) throw new Error(`no operation ${op} of ${arity} inputs`);
  return FIRST_OP_CODE + OP_NAMES.indexOf(match);
}

export function model(nodes: readonly FixtureNode[], output: number, groups: GraphGroup[] = []): GraphModel {
  const labels: string[] = [];
  const ranges: SourceRange[] = [];
  const inputStart = new Int32Array(nodes.length + 1);
  const inputs: number[] = [];
  nodes.forEach((node, id) => {
    inputStart[id] = inputs.length;
    inputs.push(...node.inputs);
  });
  inputStart[nodes.length] = inputs.length;
  const indexOf = <T>(list: T[], item: T | undefined) => (item === undefined ? -1 : list.includes(item) ? list.indexOf(item) : list.push(item) - 1);
  return {
    version: GRAPH_MODEL_VERSION,
    nodeCount: nodes.length,
    code: Uint8Array.from(nodes, (node) => (node.kind === 'leaf' ? LEAF : node.kind === 'const' ? CONST : codeOf(node.op ?? '+', node.inputs.length))),
    data: Float64Array.from(nodes, (node) => node.data),
    grad: Float64Array.from(nodes, (node) => node.grad),
    inputStart,
    inputs: Int32Array.from(inputs),
    label: Int32Array.from(nodes, (node) => indexOf(labels, node.label)),
    site: Int32Array.from(nodes, (node) => indexOf(ranges, node.range)),
    group: Int32Array.from(nodes, (node) => node.group ?? -1),
    labels, ranges, groups,
    output, outputLabel: nodes[output].label ?? 'out',
    leaves: nodes.filter((node) => node.kind === 'leaf').map((node) => node.id),
    source: { fileName: 'x.ts', range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 } },
    counts: { nodes: nodes.length, leaves: 0, constants: 0, operations: 0, groups: groups.length },
    timings: { rewriteMs: 0, forwardMs: 0, backwardMs: 0, totalMs: 0 }, logs: [],
  };
}
