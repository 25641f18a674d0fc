/**
 * Frames on the pipes between the host and a sandbox process. A frame is a 16-byte header (its kind as a
 * 32-bit integer, 4 bytes of zeros, its payload's length as a 64-bit float) and the payload. The reader
 * asks, for each header, how long a frame of that kind may be, so that a process that lies about sizes
 * makes the host allocate nothing beyond what it allows.
 */
import { COLUMNS, type ColumnName } from './protocol.ts';

const HEADER_BYTES = 16;

export function frameHeader(kind: number, length: number): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setUint32(0, kind, true);
  view.setFloat64(8, length, true);
  return header;
}

/** Reads frames from chunks as they arrive. `push` returns what is wrong with the stream, if anything. */
export class FrameReader {
  private readonly header = new Uint8Array(HEADER_BYTES);
  private headerFill = 0;
  private kind = 0;
  private payload: Uint8Array | undefined;
  private payloadFill = 0;

  constructor(
    /** The largest payload a frame of this kind may have, or -1 if the kind is unknown. */
    private readonly limit: (kind: number) => number,
    private readonly onFrame: (kind: number, payload: Uint8Array) => void,
    /** Told when a frame's header has arrived (before its payload). */
    private readonly onHeader: (kind: number, length: number) => void = () => undefined,
  ) {}

  push(chunk: Uint8Array): string | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (!this.payload) {
        const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - at);
        this.header.set(chunk.subarray(at, at + take), this.headerFill);
        this.headerFill += take;
        at += take;
        if (this.headerFill < HEADER_BYTES) return undefined;
        const view = new DataView(this.header.buffer);
        this.kind = view.getUint32(0, true);
        const length = view.getFloat64(8, true);
        const limit = this.limit(this.kind);
        if (limit < 0 || view.getUint32(4, true) !== 0) return `a frame of unknown kind ${this.kind}`;
        if (!Number.isInteger(length) || length < 0 || length > limit) return `a frame of kind ${this.kind} with a payload of ${length} bytes (at most ${limit})`;
        this.onHeader(this.kind, length);
        this.payload = new Uint8Array(length);
        this.payloadFill = 0;
      }
      const take = Math.min(this.payload.length - this.payloadFill, chunk.length - at);
      this.payload.set(chunk.subarray(at, at + take), this.payloadFill);
      this.payloadFill += take;
      at += take;
      if (this.payloadFill === this.payload.length) {
        const payload = this.payload;
        this.payload = undefined;
        this.headerFill = 0;
        this.onFrame(this.kind, payload);
      }
    }
    return undefined;
  }
}

const BYTES = { float64: 8, int32: 4, uint8: 1 } as const;

/** The sizes a result's columns are counted in. */
export interface ResultCounts {
  readonly nodeCount: number;
  readonly naryLength: number;
  readonly groupCount: number;
  readonly stepCount: number;
  readonly entryCount: number;
}

const align = (offset: number) => Math.ceil(offset / 8) * 8;

/**
 * Where each part of a result frame's payload sits: 8 bytes giving the JSON header's length in bytes, the
 * JSON, then the columns in `COLUMNS` order, each starting on a multiple of 8 bytes.
 */
export function resultLayout(counts: ResultCounts, jsonBytes: number): { readonly offsets: Readonly<Record<ColumnName, number>>; readonly total: number } {
  const offsets = {} as Record<ColumnName, number>;
  let offset = align(8 + jsonBytes);
  for (const [name, type, per] of COLUMNS) {
    offsets[name] = offset;
    offset = align(offset + BYTES[type] * columnLength(counts, per));
  }
  return { offsets, total: offset };
}

/**
 * A result frame's payload as the pieces to write: the JSON header's length, the header, and each column's
 * bytes (`columns` in `COLUMNS` order, each exactly its length), with zeros between them for alignment.
 */
export function resultPieces(counts: ResultCounts, json: Uint8Array, columns: readonly Uint8Array[]): { readonly pieces: Uint8Array[]; readonly total: number } {
  const layout = resultLayout(counts, json.length);
  const length = new Uint8Array(8);
  new DataView(length.buffer).setFloat64(0, json.length, true);
  const pieces = [length, json];
  let written = 8 + json.length;
  COLUMNS.forEach(([name], index) => {
    const padding = layout.offsets[name] - written;
    if (padding > 0) pieces.push(new Uint8Array(padding));
    pieces.push(columns[index]);
    written = layout.offsets[name] + columns[index].length;
  });
  if (layout.total > written) pieces.push(new Uint8Array(layout.total - written));
  return { pieces, total: layout.total };
}

export function columnLength(counts: ResultCounts, per: (typeof COLUMNS)[number][2]): number {
  switch (per) {
    case 'node': return counts.nodeCount;
    case 'nary': return counts.naryLength;
    case 'group': return counts.groupCount;
    case 'step': return counts.stepCount;
    case 'entry': return counts.entryCount;
  }
}

export const columnBytes = (type: keyof typeof BYTES) => BYTES[type];

/**
 * Where each part of a leaves-only result's payload sits (see `LeavesHeader`): the JSON header's length
 * (8 bytes), the JSON, then data, grad, ids and labels, each on a multiple of 8 bytes.
 */
export function leavesLayout(leafCount: number, stepCount: number, jsonBytes: number): { readonly data: number; readonly grad: number; readonly ids: number; readonly labels: number; readonly losses: number; readonly total: number } {
  const data = align(8 + jsonBytes);
  const grad = align(data + 8 * (leafCount + 1));
  const ids = align(grad + 8 * (leafCount + 1));
  const labels = align(ids + 4 * leafCount);
  const losses = align(labels + 4 * leafCount);
  return { data, grad, ids, labels, losses, total: align(losses + 8 * stepCount) };
}

/** A leaves-only result's payload as one buffer, laid out by `leavesLayout`. */
export function leavesPayload(json: Uint8Array, data: Float64Array, grad: Float64Array, ids: Int32Array, labels: Int32Array, losses: Float64Array): Uint8Array {
  const layout = leavesLayout(ids.length, losses.length, json.length);
  const payload = new Uint8Array(layout.total);
  new DataView(payload.buffer).setFloat64(0, json.length, true);
  payload.set(json, 8);
  payload.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), layout.data);
  payload.set(new Uint8Array(grad.buffer, grad.byteOffset, grad.byteLength), layout.grad);
  payload.set(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength), layout.ids);
  payload.set(new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength), layout.labels);
  payload.set(new Uint8Array(losses.buffer, losses.byteOffset, losses.byteLength), layout.losses);
  return payload;
}
