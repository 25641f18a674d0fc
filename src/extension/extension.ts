/**
 * VS Code glue: the Show Gradient Graph command, the panel, the hover, the inlay hints
 * (inlayHintsProvider.ts), live mode (liveMode.ts), the diagnostics, the cursor highlight and the snippet
 * types' setting (snippetTypes.ts). The work is done by pure modules (snippet, graph); this file only connects them to the editor.
 * Activation is lazy (on the command or a restored panel), and TypeScript's compiler loads on first use.
 */
import * as vscode from 'vscode';
import { anyNodeAt, describeNode, labelCount, nodeForName, nodesAt, nodesToHighlight } from '../graph/lookup.ts';
import { nodeAt, rangeOf } from '../graph/reader.ts';
import type { GraphModel, SnippetErrorInfo, SourceRange } from '../graph/model.ts';
import { evaluateSnippet, prepareSandbox, sandboxWalls, stopSpareProcess, useTypeScriptCacheFolder, type EvaluationResult, type SnippetSource } from '../snippet/evaluate.ts';
import type { SandboxWalls } from '../snippet/sandboxLaunch.ts';
import type { CheckStatus, EvaluationOrigin, WebviewMessage } from '../shared/messages.ts';
import type { ViewChoices } from '../graph/plan.ts';
import { exportPicture, showExportNote } from './exportPicture.ts';
import { createNonce } from './nonce.ts';
import { GradientInlayHints } from './inlayHintsProvider.ts';
import { LiveMode } from './liveMode.ts';
import type { OffsetRange } from './liveOrigin.ts';
import { GraphPanel } from './panel.ts';
import { runPanelCheck } from './panelCheck.ts';
import { backwardMessage, detailsMessage, foundMessage, highlightedElements, NO_CHOICES, planPicture, validChoices, viewMessage, type PanelEvaluation } from './panelView.ts';
import { readSettings } from './settings.ts';
import { configureSnippetTypes } from './snippetTypes.ts';

/** The latest evaluation: what hovers, reveals and highlights read. */
interface Session {
  readonly uri: vscode.Uri;
  /** Unique to this evaluation (see the graph message's `key`). */
  readonly key: string;
  /** The evaluated offsets in the document. */
  readonly offsets: readonly [number, number];
  readonly version: number;
  readonly range: vscode.Range;
  readonly graph: GraphModel;
  /** The text and selection that were evaluated: the gradient check runs them again. */
  readonly source: SnippetSource;
  readonly viewColumn: vscode.ViewColumn | undefined;
  stale: boolean;
  /** What the panel shows of it (`panelView.ts`). */
  readonly view: PanelEvaluation;
}

/** What `activate` returns, for the extension's own tests. */
export interface GradientGraphApi {
  /** The graph of the latest successful evaluation. */
  readonly graph: GraphModel | undefined;
  /** Whether the panel is open, as far as the extension knows (closing it reaches the extension a little later). */
  readonly panelOpen: boolean;
  /**
   * Resolves when the panel reports that it painted the first graph posted after this call (or could not):
   * a late paint of an earlier graph, and repaints (a resize, a theme change), do not count.
   */
  nextRender(): Promise<WebviewMessage>;
  /**
   * Draws the latest evaluation with `choices`, as the panel's request after a click does (the keys of the
   * picture's groups: `pictureGroups()`); resolves with the panel's paint report. The panel draws nothing
   * for the picture it shows already, so the choices must change it.
   */
  showChoices(choices: ViewChoices): Promise<WebviewMessage>;
  /** The groups of the latest picture, by key, with their labels: what a click could open. */
  pictureGroups(): ReadonlyArray<{ readonly key: string; readonly label: string }>;
  /** The walls that stood around the latest evaluation. */
  readonly sandboxWalls: SandboxWalls | undefined;
}

const LANGUAGES = ['typescript', 'javascript', 'typescriptreact', 'javascriptreact'];
let session: Session | undefined;
/** The Output channel "Gradient Graph": what snippets print with console.log. */
let output: vscode.OutputChannel | undefined;
/** The latest failed evaluation's document and error, for the panel's "select it" link. */
let lastError: { readonly uri: vscode.Uri; readonly viewColumn: vscode.ViewColumn | undefined; readonly error: SnippetErrorInfo } | undefined;
let running: AbortController | undefined;
/** The inlay hints of the session (made in `activate`). */
let hints: GradientInlayHints | undefined;
/** Follows the evaluated code through edits and runs it again in live mode (made in `activate`). */
let live: LiveMode | undefined;
/** The panel's gradient check, if one runs: a new evaluation cancels it. */
let checking: AbortController | undefined;
/** Counts pictures posted to the panel (the view message's `id`). */
let evaluationCount = 0;
/** Whether the user was told that this editor's Node.js cannot put the sandbox under its permission model. */
let toldAboutWalls = false;
/** Who waits for the panel's next paint: only a graph posted after the wait began answers it (`after`: the count then). */
const renderWaiters: Array<{ readonly after: number; readonly resolve: (message: WebviewMessage) => void }> = [];

/** Answers the waiters that began before graph `id` was posted. */
function answerRenderWaiters(id: number, message: WebviewMessage): void {
  for (let index = renderWaiters.length - 1; index >= 0; index--) {
    if (renderWaiters[index].after >= id) continue;
    renderWaiters[index].resolve(message);
    renderWaiters.splice(index, 1);
  }
}

export function activate(context: vscode.ExtensionContext): GradientGraphApi {
  // TypeScript's code cache as the editor's own V8 makes it (it rejects the build's): see typescriptLoader.ts.
  if (context.globalStorageUri.scheme === 'file') useTypeScriptCacheFolder(context.globalStorageUri.fsPath);
  const diagnostics = vscode.languages.createDiagnosticCollection('gradientGraph');
  output = vscode.window.createOutputChannel('Gradient Graph');
  context.subscriptions.push(output);
  const onMessage = (message: WebviewMessage) => handleWebviewMessage(message);
  hints = new GradientInlayHints(() => session, () => ({ inlayHints: readSettings().editor.inlayHints, digits: readSettings().view.digits }));
  live = new LiveMode(() => readSettings().editor.liveMode, (document, range) => {
    const viewColumn = session?.uri.toString() === document.uri.toString() ? session.viewColumn : undefined;
    void evaluateDocument(document, range, viewColumn, diagnostics, { live: true });
  });
  context.subscriptions.push(
    diagnostics,
    hints,
    live,
    configureSnippetTypes(),
    vscode.commands.registerCommand('gradientGraph.show', () => showGradientGraph(context, diagnostics)),
    vscode.languages.registerHoverProvider(LANGUAGES.map((language) => ({ language })), { provideHover }),
    vscode.languages.registerInlayHintsProvider(LANGUAGES.map((language) => ({ language })), hints),
    vscode.window.registerWebviewPanelSerializer(GraphPanel.viewType, {
      deserializeWebviewPanel: (panel) => {
        GraphPanel.revive(panel, context.extensionUri, onMessage);
        return Promise.resolve();
      },
    }),
    vscode.window.onDidChangeTextEditorSelection((event) => highlightAtCursor(event.textEditor)),
    vscode.window.onDidChangeActiveTextEditor((editor) => { void keepOutOfPanelColumn(editor); }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      const rerunning = live?.edited(event) ?? false;
      if (session && !session.stale && event.contentChanges.length > 0 && event.document.uri.toString() === session.uri.toString()) {
        session.stale = true;
        // In live mode the graph is redrawn in a moment: no banner for the time between.
        if (!rerunning) GraphPanel.current?.post({ type: 'stale', stale: true });
        hints?.refresh();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('gradientGraph')) return;
      hints?.refresh();
      if (session && GraphPanel.current) postView(GraphPanel.current, session, session.view.choices);
    }),
    { dispose: () => GraphPanel.current?.dispose() },
  );
  // A TypeScript or JavaScript file opened (the activation event): load a sandbox process now, so that the
  // first command does not wait for one while the window is still opening.
  if (vscode.workspace.isTrusted) void prepareSandbox(readSettings().evaluate.memoryLimitMb);
  return {
    get graph() { return session?.graph; },
    get panelOpen() { return GraphPanel.current !== undefined; },
    nextRender: () => new Promise((resolve) => renderWaiters.push({ after: evaluationCount, resolve })),
    showChoices: (choices) => {
      const painted = new Promise<WebviewMessage>((resolve) => renderWaiters.push({ after: evaluationCount, resolve }));
      if (session && GraphPanel.current) postView(GraphPanel.current, session, choices);
      return painted;
    },
    pictureGroups: () => (session?.view.plan?.boxes ?? []).filter((box) => box.group !== undefined).map((box) => ({ key: box.group!, label: box.ariaLabel })),
    get sandboxWalls() { return sandboxWalls(); },
  };
}

export function deactivate(): void {
  running?.abort();
  checking?.abort();
  stopSpareProcess();
}

/**
 * The command: evaluates the selection (or the statement under the cursor), shows the graph beside the
 * editor, and returns the evaluation's result (the graph model or the located error).
 */
async function showGradientGraph(context: vscode.ExtensionContext, diagnostics: vscode.DiagnosticCollection): Promise<EvaluationResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    const trust = 'Manage Workspace Trust';
    void vscode.window.showWarningMessage('Gradient Graph runs the code you select, so it only runs in a trusted workspace. Trust this folder to use it.', trust)
      .then((choice) => { if (choice === trust) void vscode.commands.executeCommand('workbench.trust.manage'); });
    return undefined;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Gradient Graph: open a TypeScript or JavaScript file and select the code to differentiate.');
    return undefined;
  }
  const document = editor.document;
  // An empty selection evaluates the statement under the cursor: the sandbox finds it (TypeScript never
  // loads in the editor's own process).
  const range = [document.offsetAt(editor.selection.start), document.offsetAt(editor.selection.end)] as const;
  const panel = GraphPanel.createOrShow(context.extensionUri, (message) => handleWebviewMessage(message));
  live?.follow(document.uri, range);
  return evaluateDocument(document, range, editor.viewColumn, diagnostics, { panel });
}

/**
 * Evaluates `[start, end)` of `document` and shows the result: the panel (the command's `panel`, else the
 * open one), the diagnostics, the hints. A live run (`live`) evaluates the session's code again as it now
 * reads: under the session's key, so that the panel keeps its view, and without a notification.
 */
async function evaluateDocument(
  document: vscode.TextDocument, [start, end]: OffsetRange, viewColumn: vscode.ViewColumn | undefined, diagnostics: vscode.DiagnosticCollection,
  options: { readonly panel?: GraphPanel; readonly live?: boolean },
): Promise<EvaluationResult> {
  (GraphPanel.current ?? options.panel)?.post({ type: 'evaluating' });
  running?.abort();
  checking?.abort();
  const controller = new AbortController();
  running = controller;
  const settings = readSettings();
  const version = document.version;
  const source = { text: document.getText(), fileName: fileNameOf(document), start, end };
  const evaluation = evaluateSnippet(source, { ...settings.evaluate, signal: controller.signal });
  // A long evaluation shows a notification that can cancel it; a quick one shows nothing but the status
  // bar. A live one never does: it would come and go while the user types.
  const progress = options.live ? undefined : setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Gradient Graph: evaluating the snippet…', cancellable: true }, (_progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return evaluation;
    });
  }, 500);
  vscode.window.setStatusBarMessage('$(sync~spin) Gradient Graph: evaluating…', evaluation);
  const result = await evaluation;
  clearTimeout(progress);
  warnIfWallsAreMissing();
  // A newer run replaced this one: it owns the panel now.
  if (running !== controller) return result;
  running = undefined;
  const panel = GraphPanel.current ?? options.panel;
  lastError = result.ok ? undefined : { uri: document.uri, viewColumn, error: result.error };
  writeLogs(vscode.workspace.asRelativePath(document.uri), document.positionAt(start).line, result.ok ? result.graph.logs : result.logs ?? []);
  if (result.ok) {
    diagnostics.delete(document.uri);
    const previous = options.live && session?.uri.toString() === document.uri.toString() ? session : undefined;
    const choices = previous && validChoices(previous.view.choices, result.graph.nodeCount, result.graph.steps?.count) ? previous.view.choices : NO_CHOICES;
    session = sessionOf(document, source, version, result.graph, viewColumn, previous?.key);
    // The evaluated range as the sandbox read it (a cursor's statement, whole): what live mode follows.
    if (!session.stale) live?.follow(document.uri, session.offsets);
    if (panel) {
      postView(panel, session, choices);
      if (previous && !session.stale) panel.post({ type: 'stale', stale: false });
    }
    const editor = vscode.window.activeTextEditor;
    if (editor?.document === document) highlightAtCursor(editor);
  } else if (controller.signal.aborted) {
    panel?.post({ type: 'error', error: result.error, fileName: vscode.workspace.asRelativePath(document.uri) });
  } else {
    diagnostics.set(document.uri, [toDiagnostic(document, result.error)]);
    panel?.post({ type: 'error', error: result.error, fileName: vscode.workspace.asRelativePath(document.uri) });
  }
  hints?.refresh();
  return result;
}

/** A session for a new evaluation; `key` is given when it evaluates a restored panel's origin again (the panel's view applies). */
function sessionOf(document: vscode.TextDocument, source: SnippetSource, version: number, graph: GraphModel, viewColumn: vscode.ViewColumn | undefined, key = createNonce()): Session {
  const evaluated = graph.source.range;
  const range = new vscode.Range(evaluated.startLine, evaluated.startCharacter, evaluated.endLine, evaluated.endCharacter);
  const offsets = [document.offsetAt(range.start), document.offsetAt(range.end)] as const;
  // The lines as they are now (the evaluation just ended): details quote them, unnamed values are named by them.
  const firstLine = range.start.line;
  const lines = Array.from({ length: range.end.line - firstLine + 1 }, (_, index) => document.lineAt(firstLine + index).text);
  const origin = { uri: document.uri.toString(), start: offsets[0], end: offsets[1] };
  return {
    uri: document.uri, key, offsets, version, graph, source, viewColumn, stale: document.version !== version, range,
    view: { key, graph, source: { firstLine, lines }, origin, choices: NO_CHOICES },
  };
}

/**
 * After a window reload, the panel asks for the evaluation it showed. The host draws it with the panel's
 * choices if it still has it, else evaluates its origin again.
 */
async function restoreEvaluation(key: string, origin: EvaluationOrigin, choices: ViewChoices): Promise<void> {
  const panel = GraphPanel.current;
  if (!panel) return;
  if (session?.key === key) {
    if (JSON.stringify(session.view.choices) !== JSON.stringify(choices)) postView(panel, session, choices);
    return;
  }
  if (session || !vscode.workspace.isTrusted) return;
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(origin.uri));
  } catch {
    return;
  }
  const version = document.version;
  const source = { text: document.getText(), fileName: fileNameOf(document), start: origin.start, end: origin.end };
  const result = await evaluateSnippet(source, readSettings().evaluate);
  if (!result.ok || session) return;
  // The same key as the panel's: it shows this evaluation as it was left (groups, selection, view).
  session = sessionOf(document, source, version, result.graph, undefined, key);
  if (!session.stale) live?.follow(document.uri, session.offsets);
  postView(panel, session, validChoices(choices, result.graph.nodeCount, result.graph.steps?.count) ? choices : NO_CHOICES);
  hints?.refresh();
}

/**
 * The panel keeps a column of its own: a file opened while the panel's group was active (after a click in
 * the panel, say) is moved to the group before it, so that the panel stays in view at its width and the
 * next command does not open yet another column.
 */
async function keepOutOfPanelColumn(editor: vscode.TextEditor | undefined): Promise<void> {
  const panelColumn = GraphPanel.current?.panel.viewColumn;
  if (!editor || panelColumn === undefined || editor.viewColumn !== panelColumn || editor.document.uri.scheme === 'output') return;
  await vscode.commands.executeCommand(panelColumn > vscode.ViewColumn.One ? 'workbench.action.moveEditorToPreviousGroup' : 'workbench.action.moveEditorToNextGroup');
}

/** What the snippet printed, under a line that says which evaluation printed it. */
function writeLogs(file: string, line: number, logs: readonly string[]): void {
  if (!output || logs.length === 0) return;
  output.appendLine(`[${new Date().toLocaleTimeString()}] ${file}:${line + 1}`);
  for (const log of logs) output.appendLine(log);
}

/** Says once if snippets run without Node's permission model (a Node that lacks it, as some editors ship). */
function warnIfWallsAreMissing(): void {
  const walls = sandboxWalls();
  if (toldAboutWalls || !walls || walls.permission) return;
  toldAboutWalls = true;
  void vscode.window.showWarningMessage(
    `Gradient Graph: this editor's Node.js (${process.version}) has no permission model, so snippets run in a separate process behind the vm sandbox only, without the second wall that stops them from writing files or starting processes. Run untrusted snippets with the gradient-graph CLI on Node 20 or later.`);
}

/** Plans and posts the picture of the session with `choices`; `request` is the panel's request it answers. */
function postView(panel: GraphPanel, current: Session, choices: ViewChoices, request?: number): void {
  const { view } = readSettings();
  planPicture(current.view, choices, view);
  panel.post(viewMessage(current.view, view, ++evaluationCount, request));
  if (current.stale) panel.post({ type: 'stale', stale: true });
}

function handleWebviewMessage(message: WebviewMessage): void {
  const panel = GraphPanel.current;
  // A request about another evaluation than the session's (a reload raced a new command) goes unanswered.
  const current = session !== undefined && panel !== undefined && 'key' in message && message.key === session.key && Number.isInteger((message as { request?: unknown }).request) ? session : undefined;
  if (message.type === 'view' && current && validChoices(message.choices, current.graph.nodeCount, current.graph.steps?.count)) postView(panel!, current, message.choices, message.request);
  if (message.type === 'details' && current) panel!.post(detailsMessage(current.view, message.node, message.request, readSettings().view.digits));
  if (message.type === 'backward' && current) panel!.post(backwardMessage(current.view, message.request, readSettings().view));
  if (message.type === 'find' && current && typeof message.query === 'string') panel!.post(foundMessage(current.view, message.query.slice(0, 200), message.request));
  if (message.type === 'check' && current) checkSession(panel!, current, message.request);
  if (message.type === 'reveal') void revealNode(message.node);
  if (message.type === 'revealError' && lastError) void revealError(lastError);
  if (message.type === 'showLogs') output?.show(true);
  if (message.type === 'restore' && typeof message.key === 'string' && message.key.length <= 64 && typeof message.origin?.uri === 'string') void restoreEvaluation(message.key, message.origin, message.choices);
  if (message.type === 'openSetting' && message.key.startsWith('gradientGraph.')) void vscode.commands.executeCommand('workbench.action.openSettings', message.key);
  if (message.type === 'export') void exportPicture(message, session?.uri);
  if (message.type === 'exportNote') showExportNote(message);
  if ((message.type === 'rendered' || message.type === 'renderError') && message.id === evaluationCount) {
    answerRenderWaiters(message.id, message);
  }
}

/** The panel's "Check with finite differences": one check at a time, cancelled by a new evaluation. */
function checkSession(panel: GraphPanel, current: Session, request: number): void {
  checking?.abort();
  const controller = new AbortController();
  checking = controller;
  const post = (status: CheckStatus) => panel.post({ type: 'check', request, key: current.key, status });
  post({ state: 'running', done: 0, total: 4 * current.graph.counts.leaves });
  void runPanelCheck(current.source, { ...readSettings().evaluate, signal: controller.signal }, post).finally(() => {
    if (checking === controller) checking = undefined;
  });
}

/** Selects a node's source in the editor it came from. */
async function revealNode(id: number): Promise<void> {
  const range = session && id >= 0 && id < session.graph.nodeCount ? rangeOf(session.graph, id) : undefined;
  if (!session || !range) return;
  await selectRange(session.uri, session.viewColumn, range);
}

/** Selects an error's range (or its position) in the document that was evaluated. */
async function revealError(failed: NonNullable<typeof lastError>): Promise<void> {
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
function highlightAtCursor(editor: vscode.TextEditor): void {
  if (!session || session.stale || !GraphPanel.current || editor.document.uri.toString() !== session.uri.toString()) return;
  const position = editor.selection.active;
  const same = session.range.contains(position) ? nodesToHighlight(session.graph, position.line, position.character) : [];
  GraphPanel.current.post({ type: 'highlight', boxes: highlightedElements(session.view, same) });
}

/** The hover: a variable's or a sub-expression's value and ∂output/∂node, in the evaluated range. */
function provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
  if (!session || document.uri.toString() !== session.uri.toString()) return undefined;
  const { graph } = session;
  const { digits } = readSettings().view;
  const wordRange = document.getWordRangeAtPosition(position, /[A-Za-z_$][\w$]*/);
  const word = wordRange ? document.getText(wordRange) : undefined;
  const inside = session.range.contains(position) || anyNodeAt(graph, position.line, position.character);
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
  if (session.stale || document.version !== session.version) {
    markdown.appendMarkdown('\n\n$(warning) The document changed since this graph was made: run **Show Gradient Graph** (Ctrl+Alt+G) again to refresh it.');
    markdown.supportThemeIcons = true;
  }
  return new vscode.Hover(markdown, range);
}

function toDiagnostic(document: vscode.TextDocument, error: SnippetErrorInfo): vscode.Diagnostic {
  const start = new vscode.Position(error.line - 1, error.column - 1);
  let range = error.range ? new vscode.Range(error.range.startLine, error.range.startCharacter, error.range.endLine, error.range.endCharacter) : new vscode.Range(start, start);
  if (range.isEmpty) range = document.getWordRangeAtPosition(start) ?? new vscode.Range(start, start.translate(0, 1));
  const diagnostic = new vscode.Diagnostic(range, error.message, vscode.DiagnosticSeverity.Error);
  diagnostic.source = 'Gradient Graph';
  return diagnostic;
}

/** A file name whose extension tells TypeScript from JavaScript, also for untitled documents. */
function fileNameOf(document: vscode.TextDocument): string {
  if (!document.isUntitled) return document.fileName;
  return `${document.fileName}.${document.languageId.startsWith('javascript') ? 'js' : 'ts'}`;
}
