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
  /** Each model group's parent (-1 for none, or for one that is not listed before it), read once from the group objects. */
  readonly groupParent: Int32Array;
}

const sameRange = (a: SourceRange | undefined, b: SourceRange | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.startLine === b.startLine && a.startCharacter === b.startCharacter
    && a.endLine === b.endLine && a.endCharacter === b.endCharacter);

/** The number after the last ` #` of an iteration's label (`for #12` → 12), read without making strings; -1 if none. */
function iterationIndex(label: string): number {
  let index = 0;
  let scale = 1;
  for (let at = label.length - 1; at > 0; at--) {
    const character = label.charCodeAt(at);
    if (character === 35 /* # */) return label.charCodeAt(at - 1) === 32 && scale > 1 ? index : -1;
    if (character < 48 || character > 57) return -1;
    index += (character - 48) * scale;
    scale *= 10;
  }
  return -1;
}

/** The buckets that `nest` makes for `count` iterations in buckets of `size`. */
function bucketCount(count: number, size: number): number {
  if (count <= MAX_CHILDREN) return 0;
  let buckets = 0;
  for (let start = 0; start < count; start += size) buckets += 1 + bucketCount(Math.min(size, count - start), size / 10);
  return buckets;
}

/** The size of the top-level buckets of a loop of `count` iterations: the least 10^k that makes at most `MAX_CHILDREN`. */
function topBucketSize(count: number): number {
  let size = 10;
  while (Math.ceil(count / size) > MAX_CHILDREN) size *= 10;
  return size;
}

/**
 * Builds the views of the model's groups, their loops and buckets; view ids start at `firstView`. Three
 * passes over the groups (runs, then ids, then places) and typed arrays throughout: a model may have
 * millions of iterations.
 */
export function nestLoops(graph: GraphModel, firstView: number): NestedLoops {
  const { groups } = graph;
  const groupCount = groups.length;
  // The group objects are read in one pass only: millions of them, scattered in memory, cost a cache miss each.
  const groupParent = new Int32Array(groupCount);
  // Runs: per iteration, its run; per run, its loop's source, label prefix (`for #`), last index and length.
  const runOf = new Int32Array(groupCount).fill(-1);
  const indexOf = new Int32Array(groupCount);
  const runFirst: number[] = [];
  const runPrefix: string[] = [];
  const runRange: Array<SourceRange | undefined> = [];
  const runLast: number[] = [];
  const runLength: number[] = [];
  // The runs under way, per enclosing model group (-1: the top level); a new run of a loop replaces its old one.
  const openRuns = new Map<number, number[]>();
  for (let model = 0; model < groupCount; model++) {
    const group = groups[model];
    const up = group.parent !== undefined && group.parent >= 0 && group.parent < model ? group.parent : -1;
    groupParent[model] = up;
    if (group.kind !== 'iteration') continue;
    const index = iterationIndex(group.label);
    indexOf[model] = Math.max(0, index);
    let siblings = openRuns.get(up);
    if (siblings === undefined) openRuns.set(up, (siblings = []));
    let found = -1;
    for (let at = 0; at < siblings.length; at++) {
      const run = siblings[at];
      if (group.label.startsWith(runPrefix[run]) && sameRange(runRange[run], group.range)) found = at;
    }
    let run = found >= 0 ? siblings[found] : -1;
    if (run < 0 || indexOf[model] <= runLast[run]) {
      run = runFirst.length;
      runFirst.push(model);
      runPrefix.push(index < 0 ? group.label : group.label.slice(0, group.label.lastIndexOf('#') + 1));
      runRange.push(group.range);
      runLast.push(-1);
      runLength.push(0);
      if (found >= 0) siblings[found] = run;
      else siblings.push(run);
    }
    runOf[model] = run;
    runLast[run] = indexOf[model];
    runLength[run]++;
  }
  const runCount = runFirst.length;
  let bucketTotal = 0;
  for (let run = 0; run < runCount; run++) bucketTotal += bucketCount(runLength[run], topBucketSize(runLength[run]));
  const size = firstView + groupCount + runCount + bucketTotal;
  const kind = new Uint8Array(size);
  const parent = new Int32Array(size);
  const modelGroup = new Int32Array(size).fill(-1);
  const from = new Int32Array(size);
  const to = new Int32Array(size);
  const viewOfGroup = new Int32Array(groupCount).fill(-1);
  const runView = new Int32Array(runCount);
  // Each run's iterations' views, run after run.
  const runStart = new Int32Array(runCount + 1);
  for (let run = 0; run < runCount; run++) runStart[run + 1] = runStart[run] + runLength[run];
  const iterations = new Int32Array(runStart[runCount]);
  const iterationIndices = new Int32Array(runStart[runCount]);
  const filled = runStart.slice(0, runCount);
  // Ids in model order, a loop just before its first iteration, so that children come in the order they ran.
  let next = firstView;
  for (let model = 0; model < groupCount; model++) {
    const run = runOf[model];
    const up = groupParent[model];
    const parentView = up >= 0 ? viewOfGroup[up] : -1;
    if (run >= 0 && runFirst[run] === model) {
      runView[run] = next;
      kind[next] = LOOP;
      parent[next] = parentView;
      modelGroup[next++] = model;
    }
    const view = next++;
    viewOfGroup[model] = view;
    modelGroup[view] = model;
    if (run < 0) {
      kind[view] = CALL;
      parent[view] = parentView;
    } else {
      // Its parent is the loop for now; buckets, if any, take it below.
      kind[view] = ITERATION;
      parent[view] = runView[run];
      iterationIndices[filled[run]] = indexOf[model];
      iterations[filled[run]++] = view;
    }
  }
  /** Gives the iterations `[low, high)` to `owner`, in buckets of `size` (10^k) when too many. */
  const nest = (owner: number, low: number, high: number, size: number) => {
    if (high - low <= MAX_CHILDREN) {
      for (let at = low; at < high; at++) parent[iterations[at]] = owner;
      return;
    }
    // Buckets first, all of them, so that a bucket's children have consecutive ids in order.
    const first = next;
    for (let start = low; start < high; start += size) {
      const end = Math.min(high, start + size);
      kind[next] = BUCKET;
      parent[next] = owner;
      from[next] = iterationIndices[start];
      to[next++] = iterationIndices[end - 1];
    }
    for (let start = low, bucket = first; start < high; start += size, bucket++) nest(bucket, start, Math.min(high, start + size), size / 10);
  };
  for (let run = 0; run < runCount; run++) {
    if (runLength[run] > MAX_CHILDREN) nest(runView[run], runStart[run], runStart[run + 1], topBucketSize(runLength[run]));
  }
  return { size, kind, parent, modelGroup, from, to, viewOfGroup, groupParent };
}
