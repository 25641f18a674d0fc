/**
 * Which function call or loop iteration each node was made in. Part of the sandbox runtime (runs inside the
 * vm context). The rewriter wraps every named function's body in `enter`/`exit` and every loop in
 * `loopEnter`/`iteration`/`exit`; this keeps the stack of those frames and lists a group the first time a
 * node is made in it (a group with no node is never listed). Everything lives in typed arrays, which the
 * snippet cannot reach or redefine, and the group table leaves the context as columns.
 */

const CALL = 0;
const ITERATION = 1;
const INITIAL = 64;

export function createGroups() {
  // The frame stack: per depth, its kind, group site, iteration index (-1 before the first iteration of
  // a loop, 0 for a call), its group (-1 until a node is made in it) and the group its nodes get.
  let frameKind = new Int32Array(INITIAL);
  let frameSite = new Int32Array(INITIAL);
  let frameIndex = new Int32Array(INITIAL);
  let frameGroup = new Int32Array(INITIAL);
  let frameEffective = new Int32Array(INITIAL);
  let depth = 0;
  // The groups listed so far.
  let groupKind = new Int32Array(INITIAL);
  let groupSite = new Int32Array(INITIAL);
  let groupIndex = new Int32Array(INITIAL);
  let groupParent = new Int32Array(INITIAL);
  let count = 0;
  let currentGroup = -1;
  let currentValid = true;
  /** Frames below this depth have their group and effective group up to date, so deep recursion stays linear. */
  let validDepth = 0;

  function push(kind: number, site: number, index: number): number {
    if (depth === frameKind.length) {
      const capacity = depth * 2;
      frameKind = grow(frameKind, capacity);
      frameSite = grow(frameSite, capacity);
      frameIndex = grow(frameIndex, capacity);
      frameGroup = grow(frameGroup, capacity);
      frameEffective = grow(frameEffective, capacity);
    }
    frameKind[depth] = kind;
    frameSite[depth] = site;
    frameIndex[depth] = index;
    frameGroup[depth] = -1;
    frameEffective[depth] = -1;
    currentValid = false;
    return depth++;
  }

  function list(kind: number, site: number, index: number, parent: number): number {
    if (count === groupKind.length) {
      const capacity = count * 2;
      groupKind = grow(groupKind, capacity);
      groupSite = grow(groupSite, capacity);
      groupIndex = grow(groupIndex, capacity);
      groupParent = grow(groupParent, capacity);
    }
    groupKind[count] = kind;
    groupSite[count] = site;
    groupIndex[count] = index;
    groupParent[count] = parent;
    return count++;
  }

  return {
    /** Enters a call of the function the rewriter numbered `site`; returns what `exit` needs. */
    enter: (site: number): number => push(CALL, site, 0),
    loopEnter: (site: number): number => push(ITERATION, site, -1),
    exit: (at: number): void => {
      depth = at;
      validDepth = Math.min(validDepth, at);
      currentValid = false;
    },
    /** Starts the next iteration of the loop at `at`. */
    iteration: (at: number): void => {
      depth = at + 1;
      frameIndex[at]++;
      frameGroup[at] = -1;
      validDepth = Math.min(validDepth, at);
      currentValid = false;
    },
    /** The group of nodes made now: the innermost frame's, listed (with its parents) on first use. */
    current: (): number => {
      if (currentValid) return currentGroup;
      let parent = validDepth > 0 ? frameEffective[validDepth - 1] : -1;
      for (let at = validDepth; at < depth; at++) {
        if (frameIndex[at] >= 0) {
          if (frameGroup[at] < 0) frameGroup[at] = list(frameKind[at], frameSite[at], frameIndex[at], parent);
          parent = frameGroup[at];
        }
        frameEffective[at] = parent;
      }
      validDepth = depth;
      currentGroup = parent;
      currentValid = true;
      return parent;
    },
    /** The group site of the innermost loop running now, -1 if none. */
    innermostLoop: (): number => {
      for (let at = depth - 1; at >= 0; at--) if (frameKind[at] === ITERATION) return frameSite[at];
      return -1;
    },
    count: () => count,
    column: (name: string): Int32Array => {
      switch (name) {
        case 'groupKind': return groupKind;
        case 'groupSite': return groupSite;
        case 'groupIndex': return groupIndex;
        default: return groupParent;
      }
    },
  };
}

function grow(array: Int32Array<ArrayBuffer>, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array);
  return bigger;
}
