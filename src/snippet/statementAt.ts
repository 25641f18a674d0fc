import { scriptKindOf } from './rewrite.ts';
import { loadTypeScript } from './typescriptLoader.ts';

/**
 * The offsets of the top-level statement at `offset` (what "the statement under the cursor" means when
 * nothing is selected), or undefined between statements. A cursor at a statement's end still counts.
 */
export function statementAt(text: string, fileName: string, offset: number): { start: number; end: number } | undefined {
  const ts = loadTypeScript();
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, scriptKindOf(ts, fileName));
  for (const statement of file.statements) {
    const start = statement.getStart(file);
    if (offset >= start && offset <= statement.end) return { start, end: statement.end };
  }
  return undefined;
}
