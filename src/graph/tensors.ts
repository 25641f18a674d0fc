/**
 * Tensors: a top-level array of leaves (`W1[0][1]`, `xs[3][0]`, `w[2]`, declared outside every function
 * and loop) is one thing to the reader of a snippet, so views draw it as one box with a small matrix of its
 * data and gradients, as PyTorch prints `W.grad`, instead of a column of dozens of leaves.
 */
import { LEAF } from '../engine/ops.ts';
import { formatNumber } from './format.ts';
import type { LabelPart } from './labels.ts';
import type { GraphModel } from './model.ts';

/** One array of leaves, found by its elements' labels. */
export interface Tensor {
  /** The array's name (`W1`). */
  readonly name: string;
  /** Its size along each index (`[4, 3]`), as far as its elements reach. */
  readonly shape: readonly number[];
  /** Its leaves in declaration order, and each one's place in the array read row by row. */
  readonly elements: readonly number[];
  readonly places: readonly number[];
}

/** `W1[0][1]` → `W1` and `[0, 1]`. */
const ELEMENT = /^(.+?)((?:\[\d+\])+)$/;

/**
 * The tensors of a graph, and for each label index the tensor whose element it names (-1 if none): only
 * leaves made at the top level count. One pass over the labels and one over the leaves.
 */
export function findTensors(graph: GraphModel): { readonly tensors: readonly Tensor[]; readonly tensorOfLabel: Int32Array } {
  const baseOfLabel = new Int32Array(graph.labels.length).fill(-1);
  const indicesOfLabel: Array<number[] | undefined> = new Array<number[] | undefined>(graph.labels.length);
  const bases: string[] = [];
  const baseIndex = new Map<string, number>();
  graph.labels.forEach((label, index) => {
    const match = ELEMENT.exec(label);
    if (match === null) return;
    let base = baseIndex.get(match[1]);
    if (base === undefined) {
      base = bases.push(match[1]) - 1;
      baseIndex.set(match[1], base);
    }
    baseOfLabel[index] = base;
    indicesOfLabel[index] = match[2].slice(1, -1).split('][').map(Number);
  });
  // Per base name: its leaves, and the number of indices they all have (-1 when they disagree: not a tensor).
  const leavesOf: number[][] = bases.map(() => []);
  const rank = new Int32Array(bases.length);
  for (const leaf of graph.leaves) {
    const label = graph.label[leaf];
    if (graph.code[leaf] !== LEAF || graph.group[leaf] >= 0 || label < 0 || baseOfLabel[label] < 0) continue;
    const base = baseOfLabel[label];
    const indices = indicesOfLabel[label]!;
    if (rank[base] === 0) rank[base] = indices.length;
    else if (rank[base] !== indices.length) rank[base] = -1;
    leavesOf[base].push(leaf);
  }
  const tensors: Tensor[] = [];
  const tensorOfBase = new Int32Array(bases.length).fill(-1);
  bases.forEach((name, base) => {
    const leaves = leavesOf[base];
    if (leaves.length === 0 || rank[base] <= 0) return;
    const shape = new Array<number>(rank[base]).fill(0);
    for (const leaf of leaves) indicesOfLabel[graph.label[leaf]]!.forEach((index, axis) => { shape[axis] = Math.max(shape[axis], index + 1); });
    const places = leaves.map((leaf) => indicesOfLabel[graph.label[leaf]]!.reduce((place, index, axis) => place * shape[axis] + index, 0));
    tensorOfBase[base] = tensors.push({ name, shape, elements: leaves, places }) - 1;
  });
  const tensorOfLabel = new Int32Array(graph.labels.length).fill(-1);
  for (let label = 0; label < graph.labels.length; label++) if (baseOfLabel[label] >= 0) tensorOfLabel[label] = tensorOfBase[baseOfLabel[label]];
  return { tensors, tensorOfLabel };
}

/** The most rows and columns a tensor box shows; the rest is `…`. */
export const TENSOR_ROWS = 4;
export const TENSOR_COLUMNS = 4;

/** `2×3` (a vector: `4`). */
export const shapeText = (tensor: Tensor): string => tensor.shape.join('×');

/**
 * A tensor box's label lines after its name: the data matrix, then the gradient matrix, each at most
 * `TENSOR_ROWS` × `TENSOR_COLUMNS` with `…` for the rest (the last axis is the columns; the others are
 * read as rows). A place no leaf holds (a ragged array) is blank.
 */
export function matrixLines(graph: GraphModel, tensor: Tensor, digits: number): LabelPart[][] {
  const columns = tensor.shape[tensor.shape.length - 1];
  const rows = tensor.shape.slice(0, -1).reduce((product, size) => product * size, 1);
  const atPlace = new Map<number, number>();
  tensor.places.forEach((place, element) => atPlace.set(place, tensor.elements[element]));
  const lines: LabelPart[][] = [];
  for (const role of ['data', 'grad'] as const) {
    const column = role === 'data' ? graph.data : graph.grad;
    for (let row = 0; row < Math.min(rows, TENSOR_ROWS); row++) {
      const cells: string[] = [];
      for (let at = 0; at < Math.min(columns, TENSOR_COLUMNS); at++) {
        const node = atPlace.get(row * columns + at);
        cells.push(node === undefined ? '·' : formatNumber(column[node], digits));
      }
      if (columns > TENSOR_COLUMNS) cells.push('…');
      lines.push([{ role, key: row === 0 ? role : '', text: cells.join('  ') }]);
    }
    if (rows > TENSOR_ROWS) lines.push([{ role, key: '', text: '…' }]);
  }
  return lines;
}
