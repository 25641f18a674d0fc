/**
 * What the extension shows in the editor itself, from the latest evaluation (`state.ts`): the hover, the
 * highlight of the cursor's nodes in the panel, the diagnostics, the selections a click in the panel makes,
 * the snippet's printed lines and the one-time warning about missing walls.
 */
import * as vscode from 'vscode';
import { anyNodeAt, describeNode, labelCount, nodeForName, nodesAt, nodesToHighlight } from '../graph/lookup.ts';
import type { SnippetErrorInfo, SourceRange } from '../graph/model.ts';
import { nodeAt, rangeOf } from '../graph/reader.ts';
import { sandboxWalls } from '../snippet/evaluate.ts';
import { GraphPanel } from './panel.ts';
import { highlightedElements } from './panelView.ts';
import { readSettings } from './settings.ts';
import { state } from './state.ts';

/**
 * The panel keeps a column of its own: a file opened while the panel's group was active (after a click in
 * the panel, say) is moved to the group before it, so that the panel stays in view at its width and the
 * next command does not open yet another column.
 */
export async function keepOutOfPanelColumn(editor: vscode.TextEditor | undefined): Promise<void> {
  const panelColumn = GraphPanel.current?.panel.viewColumn;
  if (!editor || panelColumn === undefined || editor.viewColumn !== panelColumn || editor.document.uri.scheme === 'output') return;
  await vscode.commands.executeCommand(panelColumn > vscode.ViewColumn.One ? 'workbench.action.moveEditorToPreviousGroup' : 'workbench.action.moveEditorToNextGroup');
}

/** What the snippet printed, under a line that says which evaluation printed it. */
export function writeLogs(file: string, line: number, logs: readonly string[]): void {
  if (!state.output || logs.length === 0) return;
  state.output.appendLine(`[${new Date().toLocaleTimeString()}] ${file}:${line + 1}`);
  for (const log of logs) state.output.appendLine(log);
}

/** Says once if snippets run without Node's permission model (a Node that lacks it, as some editors ship). */
export function warnIfWallsAreMissing(): void {
  const walls = sandboxWalls();
  if (state.toldAboutWalls || !walls || walls.permission) return;
  state.toldAboutWalls = true;
  void vscode.window.showWarningMessage(
    `Gradient Graph: this editor's Node.js (${process.version}) has no permission model, so snippets run in a separate process behind the vm sandbox only, without the second wall that stops them from writing files or starting processes. Run untrusted snippets with the gradient-graph CLI on Node 20 or later.`);
}

/** Selects a node's source in the editor it came from. */
export async function revealNode(id: number): Promise<void> {
  const range = state.session && id >= 0 && id < state.session.graph.nodeCount ? rangeOf(state.session.graph, id) : undefined;
  if (!state.session || !range) return;
  await selectRange(state.session.uri, state.session.viewColumn, range);
}

/** Selects an error's range (or its position) in the document that was evaluated. */
export async function revealError(failed: NonNullable<typeof state.lastError>): Promise<void> {
  const { error } = failed;
  const range = error.range ?? { startLine: error.line - 1, startCharacter: error.column - 1, endLine: error.line - 1, endCharacter: error.column - 1 };
  await selectRange(failed.uri, failed.viewColumn, range);
}

async function selectRange(uri: vscode.Uri, viewColumn: vscode.ViewColumn | undefined, range: SourceRange): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const selection = new vscode.Selection(range.startLine, range.startCharacter, range.endLine, range.endCharacter);
  const editor = await vscode.window.showTextDocument(document, { viewColumn, selection, preserveFocus: false });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Highlights in the panel the nodes whose source contains the cursor. */
export function highlightAtCursor(editor: vscode.TextEditor): void {
  if (!state.session || state.session.stale || !GraphPanel.current || editor.document.uri.toString() !== state.session.uri.toString()) return;
  const position = editor.selection.active;
  const same = state.session.range.contains(position) ? nodesToHighlight(state.session.graph, position.line, position.character) : [];
  GraphPanel.current.post({ type: 'highlight', boxes: highlightedElements(state.session.view, same) });
}

/** The hover: a variable's or a sub-expression's value and ∂output/∂node, in the evaluated range. */
export function provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
  if (!state.session || document.uri.toString() !== state.session.uri.toString()) return undefined;
  const { graph } = state.session;
  const { digits } = readSettings().view;
  const wordRange = document.getWordRangeAtPosition(position, /[A-Za-z_$][\w$]*/);
  const word = wordRange ? document.getText(wordRange) : undefined;
  const inside = state.session.range.contains(position) || anyNodeAt(graph, position.line, position.character);
  if (!inside) return undefined;
  let line: string | undefined;
  let range: vscode.Range | undefined;
  const named = word !== undefined ? nodeForName(graph, word, position.line, position.character) : undefined;
  if (named && word !== undefined) {
    const count = labelCount(graph, word);
    line = describeNode(graph, named, digits, word) + (count > 1 ? ` (the value here; \`${word}\` holds ${count} values in this run)` : '');
    range = wordRange;
  } else {
    const found = nodesAt(graph, position.line, position.character)[0];
    const node = found === undefined ? undefined : nodeAt(graph, found);
    if (!node?.range) return undefined;
    range = new vscode.Range(node.range.startLine, node.range.startCharacter, node.range.endLine, node.range.endCharacter);
    const source = document.getText(range).replace(/\s+/g, ' ');
    line = describeNode(graph, node, digits, node.label ?? (source.length > 30 ? `(${source.slice(0, 29)}…)` : `(${source})`));
  }
  const markdown = new vscode.MarkdownString();
  markdown.appendCodeblock(line, 'text');
  if (state.session.stale || document.version !== state.session.version) {
    markdown.appendMarkdown('\n\n$(warning) The document changed since this graph was made: run **Show Gradient Graph** (Ctrl+Alt+G) again to refresh it.');
    markdown.supportThemeIcons = true;
  }
  return new vscode.Hover(markdown, range);
}

export function toDiagnostic(document: vscode.TextDocument, error: SnippetErrorInfo): vscode.Diagnostic {
  const start = new vscode.Position(error.line - 1, error.column - 1);
  let range = error.range ? new vscode.Range(error.range.startLine, error.range.startCharacter, error.range.endLine, error.range.endCharacter) : new vscode.Range(start, start);
  if (range.isEmpty) range = document.getWordRangeAtPosition(start) ?? new vscode.Range(start, start.translate(0, 1));
  const diagnostic = new vscode.Diagnostic(range, error.message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = 'Gradient Graph';
  return diagnostic;
}

/** A file name whose extension tells TypeScript from JavaScript, also for untitled documents. */
export function fileNameOf(document: vscode.TextDocument): string {
  if (!document.isUntitled) return document.fileName;
  return `${document.fileName}.${document.languageId.startsWith('javascript') ? 'js' : 'ts'}`;
}
