/**
 * Where code is nested too deeply to rewrite. TypeScript's parser and transformer recurse once per level of
 * nesting, so 1,000 nested parentheses or 700 terms of `a + a + …` overflow the stack; the evaluation then
 * reports the deepest point, found here without recursion.
 */
import type * as TS from 'typescript';

export interface DeepestPoint {
  /** Offset of the deepest construct in the document. */
  readonly offset: number;
  /** How many levels deep it is. */
  readonly depth: number;
}

/** The deepest node of the selection's syntax tree, or, if the parser itself overflows, the deepest bracket. */
export function deepestPoint(ts: typeof TS, text: string, start: number, end: number, kind: TS.ScriptKind): DeepestPoint {
  let file: TS.SourceFile;
  try {
    file = ts.createSourceFile('selection.ts', text.slice(start, end), ts.ScriptTarget.ES2022, false, kind);
  } catch {
    return deepestBracket(text, start, end);
  }
  let deepestNode: TS.Node = file;
  let deepestDepth = 0;
  const pending: Array<[TS.Node, number]> = [[file, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (depth > deepestDepth) {
      deepestNode = node;
      deepestDepth = depth;
    }
    // Children pushed last to first, so that of equally deep nodes the first in the text is found.
    const children: TS.Node[] = [];
    ts.forEachChild(node, (child) => { children.push(child); });
    for (let index = children.length - 1; index >= 0; index--) pending.push([children[index], depth + 1]);
  }
  return { offset: start + deepestNode.getStart(file), depth: deepestDepth };
}

/** The innermost point of the deepest nesting of brackets, skipping strings and comments roughly. */
function deepestBracket(text: string, start: number, end: number): DeepestPoint {
  let depth = 0;
  let deepest: DeepestPoint = { offset: start, depth: 0 };
  for (let index = start; index < end; index++) {
    const character = text[index];
    if (character === '(' || character === '[' || character === '{') {
      depth++;
      if (depth > deepest.depth) deepest = { offset: index, depth };
    } else if (character === ')' || character === ']' || character === '}') {
      depth = Math.max(0, depth - 1);
    } else if (character === '"' || character === "'" || character === '`') {
      const close = text.indexOf(character, index + 1);
      index = close < 0 ? end : close;
    } else if (character === '/' && text[index + 1] === '/') {
      const close = text.indexOf('\n', index);
      index = close < 0 ? end : close;
    } else if (character === '/' && text[index + 1] === '*') {
      const close = text.indexOf('*/', index + 2);
      index = close < 0 ? end : close + 1;
    }
  }
  return deepest;
}
