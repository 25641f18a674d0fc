/**
 * Loops and buckets for the view tree (`hierarchy.ts`): the model has a group per loop iteration but none
 * for a loop as a whole, so this finds each run of iterations of one loop (same enclosing group, same
 * source, counting up) and gives it a loop group, with buckets of 10^k iterations when it has more than
 * `MAX_CHILDREN`, nested so that no level has more than that many children.
 */
import type { GraphModel, SourceRange } from './model.ts';

/** The most children a loop or bucket has: a level the eye takes in at once. */
export const MAX_CHILDREN = 12;

/** View group kinds, as `hierarchy.ts` numbers them. */
const CALL = 0, ITERATION = 1, LOOP = 2, BUCKET = 3;

/** The groups of the view tree after the first `firstView` (the tensors), as columns by view id. */
export interface NestedLoops {
  readonly size: number;
  readonly kind: Uint8Array;
  readonly parent: Int32Array;
  readonly modelGroup: Int32Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly viewOfGroup: Int32Array;
}

interface Run {
  readonly view: number;
  readonly range: SourceRange | undefined;
  readonly name: string;
  lastIndex: number;
  readonly iterations: number[];
  readonly indices: number[];
}

const sameRange = (a: SourceRange | undefined, b: SourceRange | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.startLine === b.startLine && a.startCharacter === b.startCharacter
    && a.endLine === b.endLine && a.endCharacter === b.endCharacter);

/** Builds the views of the model's groups, their loops and buckets; view ids start at `firstView`. */
export function nestLoops(graph: GraphModel, firstView: number): NestedLoops {
  const groupCount = graph.groups.length;
  const kind: number[] = [];
  const parent: number[] = [];
  const modelGroup: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const viewOfGroup = new Int32Array(groupCount).fill(-1);
  const add = (viewKind: number, viewParent: number, model: number, first = 0, lastIndex = 0): number => {
    kind.push(viewKind);
    parent.push(viewParent);
    modelGroup.push(model);
    from.push(first);
    to.push(lastIndex);
    return firstView + kind.length - 1;
  };
  // The runs under way, per enclosing model group (-1: the top level); a new run of a loop replaces its old one.
  const openRuns = new Map<number, Run[]>();
  const runs: Run[] = [];
  for (let model = 0; model < groupCount; model++) {
    const group = graph.groups[model];
    const up = group.parent !== undefined && group.parent >= 0 && group.parent < model ? group.parent : -1;
    const parentView = up >= 0 ? viewOfGroup[up] : -1;
    if (group.kind !== 'iteration') {
      viewOfGroup[model] = add(CALL, parentView, model);
      continue;
    }
    const at = group.label.lastIndexOf(' #');
    const name = at < 0 ? group.label : group.label.slice(0, at);
    const index = at < 0 ? 0 : Number(group.label.slice(at + 2)) || 0;
    let siblings = openRuns.get(up);
    if (siblings === undefined) openRuns.set(up, (siblings = []));
    const found = siblings.findIndex((run) => run.name === name && sameRange(run.range, group.range));
    let run = found >= 0 ? siblings[found] : undefined;
    if (run === undefined || index <= run.lastIndex) {
      run = { view: add(LOOP, parentView, model), range: group.range, name, lastIndex: index, iterations: [], indices: [] };
      runs.push(run);
      if (found >= 0) siblings[found] = run;
      else siblings.push(run);
    }
    run.lastIndex = index;
    // Its parent is the loop for now; buckets, if any, take it below.
    viewOfGroup[model] = add(ITERATION, run.view, model);
    run.iterations.push(viewOfGroup[model]);
    run.indices.push(index);
  }
  const setParent = (view: number, to: number) => { parent[view - firstView] = to; };
  /** Gives the iterations `[low, high)` of a run to `owner`, in buckets of `size` (10^k) when too many. */
  const nest = (run: Run, owner: number, low: number, high: number, size: number) => {
    if (high - low <= MAX_CHILDREN) {
      for (let at = low; at < high; at++) setParent(run.iterations[at], owner);
      return;
    }
    // Buckets first, all of them, so that a bucket's children have consecutive ids in order.
    const buckets: Array<[number, number, number]> = [];
    for (let start = low; start < high; start += size) {
      const end = Math.min(high, start + size);
      buckets.push([add(BUCKET, owner, -1, run.indices[start], run.indices[end - 1]), start, end]);
    }
    for (const [bucket, start, end] of buckets) nest(run, bucket, start, end, size / 10);
  };
  for (const run of runs) {
    const count = run.iterations.length;
    let size = 10;
    while (Math.ceil(count / size) > MAX_CHILDREN) size *= 10;
    nest(run, run.view, 0, count, size);
  }
  return {
    size: firstView + kind.length,
    kind: withRoom(Uint8Array, kind, firstView),
    parent: withRoom(Int32Array, parent, firstView),
    modelGroup: withRoom(Int32Array, modelGroup, firstView),
    from: withRoom(Int32Array, from, firstView),
    to: withRoom(Int32Array, to, firstView),
    viewOfGroup,
  };
}

/** A typed array of `room` free places (the tensors') and then `values`. */
function withRoom<T extends Uint8Array | Int32Array>(Type: { new (length: number): T }, values: readonly number[], room: number): T {
  const array = new Type(room + values.length);
  array.set(values, room);
  return array;
}
