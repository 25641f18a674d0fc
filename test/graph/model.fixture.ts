// Shared by the tests of views: a graph model made by hand from its nodes, with the rest filled in.
import { GRAPH_MODEL_VERSION, type GraphGroup, type GraphModel, type GraphNode } from '../../src/graph/model.ts';

export function model(nodes: readonly GraphNode[], output: number, groups: GraphGroup[] = []): GraphModel {
  return {
    version: GRAPH_MODEL_VERSION, nodes, output, outputLabel: nodes[output].label ?? 'out',
    leaves: nodes.filter((node) => node.kind === 'leaf').map((node) => node.id), groups,
    source: { fileName: 'x.ts', range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 } },
    counts: { nodes: nodes.length, leaves: 0, constants: 0, operations: 0, groups: groups.length },
    timings: { rewriteMs: 0, forwardMs: 0, backwardMs: 0, totalMs: 0 }, logs: [],
  };
}
