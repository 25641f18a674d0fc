/**
 * The graph model's JSON form, and one codec for the numbers JSON cannot hold. Columns are JSON arrays;
 * NaN, Infinity and -Infinity in `data` and `grad` are the strings "NaN", "Infinity" and "-Infinity" (every
 * other column is finite by construction). The same form serves `gradient-graph --json` (written piece by
 * piece, never as one string of the whole graph) and the panel's saved state (`setState` keeps JSON only:
 * Infinity would come back as null). Messages to the panel carry the model as it is (typed arrays travel
 * as binary).
 */
import { GRAPH_MODEL_VERSION, type GraphModel } from './model.ts';

/** A number as JSON can hold it. */
export const encodeNumber = (value: number): number | string => (Number.isFinite(value) ? value : String(value));

/** A number from JSON: a number as it is, "NaN", "Infinity" or "-Infinity" as the number; anything else is NaN. */
export function decodeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return NaN;
}

const FLOAT_COLUMNS = ['data', 'grad'] as const;
const INT_COLUMNS = ['inputStart', 'inputs', 'label', 'site', 'group'] as const;
type Column = (typeof FLOAT_COLUMNS)[number] | (typeof INT_COLUMNS)[number] | 'code';

/** The graph with its columns as JSON arrays (non-finite numbers as strings). */
export type EncodedGraph = Omit<GraphModel, Column> & { readonly [K in Column]: ReadonlyArray<number | string> };

export function encodeGraph(graph: GraphModel): EncodedGraph {
  return {
    ...graph,
    code: Array.from(graph.code),
    data: Array.from(graph.data, encodeNumber),
    grad: Array.from(graph.grad, encodeNumber),
    inputStart: Array.from(graph.inputStart),
    inputs: Array.from(graph.inputs),
    label: Array.from(graph.label),
    site: Array.from(graph.site),
    group: Array.from(graph.group),
  };
}

export function decodeGraph(encoded: EncodedGraph): GraphModel {
  const version: unknown = encoded.version;
  if (version !== GRAPH_MODEL_VERSION) throw new Error(`graph model version ${String(version)} is not ${GRAPH_MODEL_VERSION}`);
  const ints = (values: ReadonlyArray<number | string>) => Int32Array.from(values, Number);
  return {
    ...encoded,
    code: Uint8Array.from(encoded.code, Number),
    data: Float64Array.from(encoded.data, decodeNumber),
    grad: Float64Array.from(encoded.grad, decodeNumber),
    inputStart: ints(encoded.inputStart),
    inputs: ints(encoded.inputs),
    label: ints(encoded.label),
    site: ints(encoded.site),
    group: ints(encoded.group),
  };
}

/** How many numbers go into one piece of the written JSON. */
const PIECE = 65_536;

/**
 * Writes the graph as one line of JSON, piece by piece: the columns in pieces of at most 65,536 numbers,
 * so that no string of the whole graph (hundreds of megabytes for millions of nodes) is ever built.
 */
export function writeGraphJson(graph: GraphModel, write: (piece: string) => void): void {
  const columns = new Set<string>([...FLOAT_COLUMNS, ...INT_COLUMNS, 'code']);
  const rest = Object.fromEntries(Object.entries(graph).filter(([key]) => !columns.has(key)));
  const head = JSON.stringify(rest);
  write(head.slice(0, -1));
  const array = (name: string, values: ArrayLike<number>, encode: (value: number) => number | string) => {
    write(`,${JSON.stringify(name)}:[`);
    for (let from = 0; from < values.length; from += PIECE) {
      const to = Math.min(values.length, from + PIECE);
      let piece = from === 0 ? '' : ',';
      for (let k = from; k < to; k++) piece += (k > from ? ',' : '') + JSON.stringify(encode(values[k]));
      write(piece);
    }
    write(']');
  };
  const same = (value: number) => value;
  array('code', graph.code, same);
  for (const name of FLOAT_COLUMNS) array(name, graph[name], encodeNumber);
  for (const name of INT_COLUMNS) array(name, graph[name], same);
  write('}');
}

/** The graph as one line of JSON (`writeGraphJson`, gathered). */
export function serializeGraph(graph: GraphModel): string {
  const pieces: string[] = [];
  writeGraphJson(graph, (piece) => pieces.push(piece));
  return pieces.join('');
}

/** A graph from its JSON, its columns typed again; a graph of another version is refused. */
export function parseGraph(text: string): GraphModel {
  return decodeGraph(JSON.parse(text) as EncodedGraph);
}
