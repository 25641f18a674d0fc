/**
 * One codec for the numbers JSON cannot hold. NaN, Infinity and -Infinity are the strings "NaN",
 * "Infinity" and "-Infinity" wherever a graph crosses JSON: `gradient-graph --json`, the messages to the
 * panel (VS Code's `postMessage` is JSON: Infinity would arrive as null), and the panel's saved state.
 * Only a node's `data`, `grad` and `local` can be non-finite; everything else is finite by construction.
 */
import type { GraphModel, GraphNode } from './model.ts';

/** A number as JSON can hold it. */
export const encodeNumber = (value: number): number | string => (Number.isFinite(value) ? value : String(value));

/** A number from JSON: a number as it is, "NaN", "Infinity" or "-Infinity" as the number; anything else is NaN. */
export function decodeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return NaN;
}

/** A node that JSON can carry. */
export type EncodedNode = Omit<GraphNode, 'data' | 'grad' | 'local'> & {
  readonly data: number | string;
  readonly grad: number | string;
  readonly local?: ReadonlyArray<number | string>;
};
/** A graph that JSON can carry: its nodes' non-finite numbers are strings. */
export type EncodedGraph = Omit<GraphModel, 'nodes'> & { readonly nodes: readonly EncodedNode[] };

const isFinite = (node: GraphNode) => Number.isFinite(node.data) && Number.isFinite(node.grad) && (node.local?.every(Number.isFinite) ?? true);

export function encodeGraph(graph: GraphModel): EncodedGraph {
  // Most graphs hold no non-finite number: they cross as they are.
  if (graph.nodes.every(isFinite)) return graph;
  return {
    ...graph,
    nodes: graph.nodes.map((node) => (isFinite(node) ? node : {
      ...node,
      data: encodeNumber(node.data),
      grad: encodeNumber(node.grad),
      ...(node.local === undefined ? {} : { local: node.local.map(encodeNumber) }),
    })),
  };
}

export function decodeGraph(graph: EncodedGraph): GraphModel {
  const needs = (value: unknown) => typeof value !== 'number';
  if (!graph.nodes.some((node) => needs(node.data) || needs(node.grad) || (node.local?.some(needs) ?? false))) return graph as GraphModel;
  return {
    ...graph,
    nodes: graph.nodes.map((node): GraphNode => {
      const { local, ...rest } = node;
      return { ...rest, data: decodeNumber(node.data), grad: decodeNumber(node.grad), ...(local === undefined ? {} : { local: local.map(decodeNumber) }) };
    }),
  };
}
