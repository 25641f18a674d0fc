/**
 * From the user's TypeScript to a script the sandbox runs: parse with the TypeScript compiler API, find the
 * top-level declarations the selection needs, and rewrite operators and `Math` calls into calls on the
 * runtime (`a * b` becomes `__gg.mul(a, b, 7)`, where 7 numbers the source site of `a * b`). TypeScript's
 * own emit then strips the types. Every position the rewriter records is an offset in the user's document.
 */
import type * as TS from 'typescript';
import { findDependencies } from './dependencies.ts';
import { RUNTIME_GLOBAL, type GroupSite, type Site } from './protocol.ts';
import { SnippetError } from './snippetError.ts';
import { createRewriter, LabelTable, operatorTables } from './transform.ts';
import { loadTypeScript } from './typescriptLoader.ts';
import { findNetworkNames } from './networkNames.ts';

export { SnippetError } from './snippetError.ts';

export interface RewriteRequest {
  /** The whole document: declarations the selection uses are taken from it. */
  readonly text: string;
  readonly fileName: string;
  /** Offsets of the selection in `text`. */
  readonly start: number;
  readonly end: number;
}

/** One piece of the generated script: a statement of the document or the selection, and its source map. */
export interface Chunk {
  readonly offset: number;
  readonly text: string;
  /** First line of this chunk's code in the generated script, 1-based. */
  readonly firstLine: number;
  readonly lineCount: number;
  /** The source map's `mappings` (generated chunk code to chunk text). */
  readonly mappings: string;
}

export interface RewriteResult {
  readonly script: string;
  readonly sites: Site[];
  readonly groupSites: GroupSite[];
  /** The names the rewritten code gives values, referred to by index (`__gg.label(x, 3)`). */
  readonly labels: string[];
  readonly chunks: Chunk[];
}

/** JavaScript or TypeScript, with or without JSX, by the file's extension. */
export function scriptKindOf(ts: typeof TS, fileName: string): TS.ScriptKind {
  if (/\.(m|c)?jsx?$/i.test(fileName)) return fileName.toLowerCase().endsWith('x') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
  return fileName.toLowerCase().endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

/** Rewrites the selection (and the declarations it needs) into a script for the sandbox. Throws `SnippetError`. */
export function rewriteSnippet(request: RewriteRequest): RewriteResult {
  const ts = loadTypeScript();
  operatorTables(ts);
  const { start, end } = request;
  // A `#!` first line is a comment to JavaScript engines that run files; here it becomes one of the same
  // length, so that every offset stays the document's.
  const text = request.text.startsWith('#!') ? `//${request.text.slice(2)}` : request.text;
  const kind = scriptKindOf(ts, request.fileName);
  const selectionText = text.slice(start, end);
  if (selectionText.trim() === '') throw new SnippetError('nothing to evaluate: select the code to differentiate', start, end);

  const selection = ts.createSourceFile('selection.ts', selectionText, ts.ScriptTarget.ES2022, true, kind);
  throwSyntaxError(ts, selection, start);
  const document = ts.createSourceFile(request.fileName, text, ts.ScriptTarget.ES2022, true, kind);

  const dependencies = findDependencies(ts, document, selection, start, end);
  const network = findNetworkNames(ts, [document, selection]);
  const sites: Site[] = [];
  const groupSites: GroupSite[] = [];
  const labels = new LabelTable();
  const pieces = [
    ...dependencies.map((statement) => ({ offset: statement.getStart(document), text: text.slice(statement.getStart(document), statement.end), isSelection: false })),
    { offset: start, text: selectionText, isSelection: true },
  ];
  // One function around everything: V8 optimises a function's locals far better than a script's top-level
  // bindings (a loop over `let x` at the top level ran about 3x slower).
  // Its parameters make the runtime and the globals a snippet uses most into locals (global lookups in a vm
  // context go through an interceptor and are slow). The runtime's `run` calls it (an arrow function, so
  // that the snippet's `arguments` is not the runtime's), catching whatever it throws inside the context.
  const lines = ['"use strict";', `globalThis.${RUNTIME_GLOBAL}Run((${RUNTIME_GLOBAL}, Math, exports) => {`];
  const chunks: Chunk[] = [];
  for (const piece of pieces) {
    const output = ts.transpileModule(piece.text, {
      fileName: kind === ts.ScriptKind.JS || kind === ts.ScriptKind.JSX ? 'chunk.js' : 'chunk.ts',
      reportDiagnostics: true,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, sourceMap: true, removeComments: true,
        useDefineForClassFields: true, jsx: ts.JsxEmit.Preserve, allowJs: true,
      },
      transformers: { before: [createRewriter(ts, piece.offset, piece.isSelection, sites, groupSites, labels, network)] },
    });
    const diagnostic = output.diagnostics?.find((item) => item.category === ts.DiagnosticCategory.Error);
    if (diagnostic) throw new SnippetError(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'), piece.offset + (diagnostic.start ?? 0));
    const code = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n').replace(/^"use strict";\n/, '');
    const codeLines = code.split('\n');
    const map = JSON.parse(output.sourceMapText ?? '{"mappings":""}') as { mappings: string };
    // "use strict" is removed above, so the map's lines move up by one when it was there.
    const shift = output.outputText.startsWith('"use strict";\n') ? 1 : 0;
    chunks.push({ offset: piece.offset, text: piece.text, firstLine: lines.length + 1 - shift, lineCount: codeLines.length + shift, mappings: map.mappings });
    lines.push(...codeLines);
  }
  lines.push('});');
  return { script: lines.join('\n'), sites, groupSites, labels: labels.labels, chunks };
}

function throwSyntaxError(ts: typeof TS, file: TS.SourceFile, offset: number): void {
  const diagnostics = (file as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (first) throw new SnippetError(ts.flattenDiagnosticMessageText(first.messageText, '\n'), offset + first.start, offset + first.start + first.length);
}
