/**
 * VS Code glue: activation, the Show Gradient Graph command and the evaluations it starts (and live mode's,
 * liveMode.ts), and the routing of the panel's messages to their answers (panelView.ts, panelCheck.ts,
 * exportPicture.ts). What shows in the editor itself (hover, highlight, diagnostics, reveals) is in
 * editorViews.ts, the hints in inlayHintsProvider.ts, and the state they all read in state.ts. The work is
 * done by pure modules (snippet, graph); these files only connect them to the editor. The extension
 * activates on the command, a restored panel, or a TypeScript or JavaScript file (it then starts a sandbox
 * process, so that the first command finds TypeScript loaded).
 */
import * as vscode from 'vscode';
import type { GraphModel } from '../graph/model.ts';
import { evaluateSnippet, prepareSandbox, sandboxWalls, stopSpareProcess, useTypeScriptCacheFolder, type EvaluationResult, type SnippetSource } from '../snippet/evaluate.ts';
import type { SandboxWalls } from '../snippet/sandboxLaunch.ts';
import type { CheckStatus, EvaluationOrigin, WebviewMessage } from '../shared/messages.ts';
import type { ViewChoices } from '../graph/plan.ts';
import { fileNameOf, highlightAtCursor, keepOutOfPanelColumn, provideHover, revealError, revealNode, toDiagnostic, warnIfWallsAreMissing, writeLogs } from './editorViews.ts';
import { exportPicture, showExportNote } from './exportPicture.ts';
import { createNonce } from './nonce.ts';
import { GradientInlayHints } from './inlayHintsProvider.ts';
import { LiveMode } from './liveMode.ts';
import type { OffsetRange } from './liveOrigin.ts';
import { GraphPanel } from './panel.ts';
import { runPanelCheck } from './panelCheck.ts';
import { backwardMessage, detailsMessage, foundMessage, NO_CHOICES, planPicture, validChoices, viewMessage } from './panelView.ts';
import { readSettings } from './settings.ts';
import { configureSnippetTypes } from './snippetTypes.ts';
import { answerRenderWaiters, nextRender, state, type Session } from './state.ts';

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
export function activate(context: vscode.ExtensionContext): GradientGraphApi {
  // TypeScript's code cache as the editor's own V8 makes it (it rejects the build's): see typescriptLoader.ts.
  if (context.globalStorageUri.scheme === 'file') useTypeScriptCacheFolder(context.globalStorageUri.fsPath);
  const diagnostics = vscode.languages.createDiagnosticCollection('gradientGraph');
  state.output = vscode.window.createOutputChannel('Gradient Graph');
  context.subscriptions.push(state.output);
  const onMessage = (message: WebviewMessage) => handleWebviewMessage(message);
  state.hints = new GradientInlayHints(() => state.session, () => ({ inlayHints: readSettings().editor.inlayHints, digits: readSettings().view.digits }));
  state.live = new LiveMode(() => readSettings().editor.liveMode, (document, range) => {
    const viewColumn = state.session?.uri.toString() === document.uri.toString() ? state.session.viewColumn : undefined;
    void evaluateDocument(document, range, viewColumn, diagnostics, { live: true });
  });
  context.subscriptions.push(
    diagnostics,
    state.hints,
    state.live,
    configureSnippetTypes(),
    vscode.commands.registerCommand('gradientGraph.show', () => showGradientGraph(context, diagnostics)),
    vscode.languages.registerHoverProvider(LANGUAGES.map((language) => ({ language })), { provideHover }),
    vscode.languages.registerInlayHintsProvider(LANGUAGES.map((language) => ({ language })), state.hints),
    vscode.window.registerWebviewPanelSerializer(GraphPanel.viewType, {
      deserializeWebviewPanel: (panel) => {
        GraphPanel.revive(panel, context.extensionUri, onMessage);
        return Promise.resolve();
      },
    }),
    vscode.window.onDidChangeTextEditorSelection((event) => highlightAtCursor(event.textEditor)),
    vscode.window.onDidChangeActiveTextEditor((editor) => { void keepOutOfPanelColumn(editor); }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      const rerunning = state.live?.edited(event) ?? false;
      if (state.session && !state.session.stale && event.contentChanges.length > 0 && event.document.uri.toString() === state.session.uri.toString()) {
        state.session.stale = true;
        // In live mode the graph is redrawn in a moment: no banner for the time between.
        if (!rerunning) GraphPanel.current?.post({ type: 'stale', stale: true });
        state.hints?.refresh();
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('gradientGraph')) return;
      state.hints?.refresh();
      if (state.session && GraphPanel.current) postView(GraphPanel.current, state.session, state.session.view.choices);
    }),
    { dispose: () => GraphPanel.current?.dispose() },
  );
  // A TypeScript or JavaScript file opened (the activation event): load a sandbox process now, so that the
  // first command does not wait for one while the window is still opening.
  if (vscode.workspace.isTrusted) void prepareSandbox(readSettings().evaluate.memoryLimitMb);
  return {
    get graph() { return state.session?.graph; },
    get panelOpen() { return GraphPanel.current !== undefined; },
    nextRender,
    showChoices: (choices) => {
      const painted = nextRender();
      if (state.session && GraphPanel.current) postView(GraphPanel.current, state.session, choices);
      return painted;
    },
    pictureGroups: () => (state.session?.view.plan?.boxes ?? []).filter((box) => box.group !== undefined).map((box) => ({ key: box.group!, label: box.ariaLabel })),
    get sandboxWalls() { return sandboxWalls(); },
  };
}

export function deactivate(): void {
  state.running?.abort();
  state.checking?.abort();
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
  state.live?.follow(document.uri, range);
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
  state.running?.abort();
  state.checking?.abort();
  const controller = new AbortController();
  state.running = controller;
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
  if (state.running !== controller) return result;
  state.running = undefined;
  const panel = GraphPanel.current ?? options.panel;
  state.lastError = result.ok ? undefined : { uri: document.uri, viewColumn, error: result.error };
  writeLogs(vscode.workspace.asRelativePath(document.uri), document.positionAt(start).line, result.ok ? result.graph.logs : result.logs ?? []);
  if (result.ok) {
    diagnostics.delete(document.uri);
    const previous = options.live && state.session?.uri.toString() === document.uri.toString() ? state.session : undefined;
    const choices = previous && validChoices(previous.view.choices, result.graph.nodeCount, result.graph.steps?.count) ? previous.view.choices : NO_CHOICES;
    state.session = sessionOf(document, source, version, result.graph, viewColumn, previous?.key);
    // The evaluated range as the sandbox read it (a cursor's statement, whole): what live mode follows.
    if (!state.session.stale) state.live?.follow(document.uri, state.session.offsets);
    if (panel) {
      postView(panel, state.session, choices);
      if (previous && !state.session.stale) panel.post({ type: 'stale', stale: false });
    }
    const editor = vscode.window.activeTextEditor;
    if (editor?.document === document) highlightAtCursor(editor);
  } else if (controller.signal.aborted) {
    panel?.post({ type: 'error', error: result.error, fileName: vscode.workspace.asRelativePath(document.uri) });
  } else {
    diagnostics.set(document.uri, [toDiagnostic(document, result.error)]);
    panel?.post({ type: 'error', error: result.error, fileName: vscode.workspace.asRelativePath(document.uri) });
  }
  state.hints?.refresh();
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
  if (state.session?.key === key) {
    if (JSON.stringify(state.session.view.choices) !== JSON.stringify(choices)) postView(panel, state.session, choices);
    return;
  }
  if (state.session || !vscode.workspace.isTrusted) return;
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(origin.uri));
  } catch {
    return;
  }
  const version = document.version;
  const source = { text: document.getText(), fileName: fileNameOf(document), start: origin.start, end: origin.end };
  const result = await evaluateSnippet(source, readSettings().evaluate);
  if (!result.ok || state.session) return;
  // The same key as the panel's: it shows this evaluation as it was left (groups, selection, view).
  state.session = sessionOf(document, source, version, result.graph, undefined, key);
  if (!state.session.stale) state.live?.follow(document.uri, state.session.offsets);
  postView(panel, state.session, validChoices(choices, result.graph.nodeCount, result.graph.steps?.count) ? choices : NO_CHOICES);
  state.hints?.refresh();
}




/** Plans and posts the picture of the session with `choices`; `request` is the panel's request it answers. */
function postView(panel: GraphPanel, current: Session, choices: ViewChoices, request?: number): void {
  const { view } = readSettings();
  planPicture(current.view, choices, view);
  panel.post(viewMessage(current.view, view, ++state.evaluationCount, request));
  if (current.stale) panel.post({ type: 'stale', stale: true });
}

function handleWebviewMessage(message: WebviewMessage): void {
  const panel = GraphPanel.current;
  // A request about another evaluation than the session's (a reload raced a new command) goes unanswered.
  const current = state.session !== undefined && panel !== undefined && 'key' in message && message.key === state.session.key && Number.isInteger((message as { request?: unknown }).request) ? state.session : undefined;
  if (message.type === 'view' && current && validChoices(message.choices, current.graph.nodeCount, current.graph.steps?.count)) postView(panel!, current, message.choices, message.request);
  if (message.type === 'details' && current) panel!.post(detailsMessage(current.view, message.node, message.request, readSettings().view.digits));
  if (message.type === 'backward' && current) panel!.post(backwardMessage(current.view, message.request, readSettings().view));
  if (message.type === 'find' && current && typeof message.query === 'string') panel!.post(foundMessage(current.view, message.query.slice(0, 200), message.request));
  if (message.type === 'check' && current) checkSession(panel!, current, message.request);
  if (message.type === 'reveal') void revealNode(message.node);
  if (message.type === 'revealError' && state.lastError) void revealError(state.lastError);
  if (message.type === 'showLogs') state.output?.show(true);
  if (message.type === 'restore' && typeof message.key === 'string' && message.key.length <= 64 && typeof message.origin?.uri === 'string') void restoreEvaluation(message.key, message.origin, message.choices);
  if (message.type === 'openSetting' && message.key.startsWith('gradientGraph.')) void vscode.commands.executeCommand('workbench.action.openSettings', message.key);
  if (message.type === 'export') void exportPicture(message, state.session?.uri);
  if (message.type === 'exportNote') showExportNote(message);
  if ((message.type === 'rendered' || message.type === 'renderError') && message.id === state.evaluationCount) {
    answerRenderWaiters(message.id, message);
  }
}

/** The panel's "Check with finite differences": one check at a time, cancelled by a new evaluation. */
function checkSession(panel: GraphPanel, current: Session, request: number): void {
  state.checking?.abort();
  const controller = new AbortController();
  state.checking = controller;
  const post = (status: CheckStatus) => panel.post({ type: 'check', request, key: current.key, status });
  post({ state: 'running', done: 0, total: 4 * current.graph.counts.leaves });
  void runPanelCheck(current.source, { ...readSettings().evaluate, signal: controller.signal }, post).finally(() => {
    if (state.checking === controller) state.checking = undefined;
  });
}







