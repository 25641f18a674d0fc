/**
 * The graph model's JSON form, and one codec for the numbers JSON cannot hold. Columns are JSON arrays;
 * NaN, Infinity and -Infinity in `data` and `grad` are the strings "NaN", "Infinity" and "-Infinity" (every
 * other column is finite by construction). The same form serves `gradient-graph --json` (written piece by
 * piece, never as one string of the whole graph) and the panel's saved state (`setState` keeps JSON only:
 * Infinity would come back as null). Messages to the panel carry the model as it is (typed arrays travel
 * as binary).
 */
import { GRAPH_MODEL_VERSION, type GraphModel, type TrainingSteps } from './model.ts';

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

const STEP_FLOAT_COLUMNS = ['loss', 'grad', 'accumulated', 'data'] as const;
const STEP_INT_COLUMNS = ['output', 'entryStart', 'full', 'node'] as const;

/** The training steps with their columns as JSON arrays. */
export type EncodedSteps = { readonly count: number } & { readonly [K in (typeof STEP_FLOAT_COLUMNS)[number] | (typeof STEP_INT_COLUMNS)[number]]: ReadonlyArray<number | string> };

/** The graph with its columns as JSON arrays (non-finite numbers as strings). */
export type EncodedGraph = Omit<GraphModel, Column | 'steps'> & { readonly [K in Column]: ReadonlyArray<number | string> } & { readonly steps?: EncodedSteps };

function encodeSteps(steps: TrainingSteps): EncodedSteps {
  return {
    count: steps.count,
    output: Array.from(steps.output), loss: Array.from(steps.loss, encodeNumber), entryStart: Array.from(steps.entryStart), full: Array.from(steps.full),
    node: Array.from(steps.node), grad: Array.from(steps.grad, encodeNumber), accumulated: Array.from(steps.accumulated, encodeNumber), data: Array.from(steps.data, encodeNumber),
  };
}

function decodeSteps(encoded: EncodedSteps): TrainingSteps {
  const floats = (values: ReadonlyArray<number | string>) => Float64Array.from(values, decodeNumber);
  return {
    count: encoded.count,
    output: Int32Array.from(encoded.output, Number), loss: floats(encoded.loss), entryStart: Int32Array.from(encoded.entryStart, Number), full: Uint8Array.from(encoded.full, Number),
    node: Int32Array.from(encoded.node, Number), grad: floats(encoded.grad), accumulated: floats(encoded.accumulated), data: floats(encoded.data),
  };
}

export function encodeGraph(graph: GraphModel): EncodedGraph {
  const { steps, ...rest } = graph;
  return {
    ...rest,
    ...(steps ? { steps: encodeSteps(steps) } : {}),
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
  const { steps, ...rest } = encoded;
  return {
    ...rest,
    ...(steps ? { steps: decodeSteps(steps) } : {}),
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
  const columns = new Set<string>([...FLOAT_COLUMNS, ...INT_COLUMNS, 'code', 'steps']);
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
  const steps = graph.steps;
  if (steps) {
    write(`,"steps":{"count":${steps.count}`);
    for (const name of STEP_INT_COLUMNS) array(name, steps[name], same);
    for (const name of STEP_FLOAT_COLUMNS) array(name, steps[name], encodeNumber);
    write('}');
  }
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
