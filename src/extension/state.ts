/**
 * The extension's mutable state, in one place: the latest evaluation (what the panel, the hovers, the
 * hints and the reveals read), what runs now (an evaluation, a gradient check), the output channel, and
 * who waits for the panel's next paint. Everything else in src/extension/ is functions of it.
 */
import type * as vscode from 'vscode';
import type { GraphModel, SnippetErrorInfo } from '../graph/model.ts';
import type { WebviewMessage } from '../shared/messages.ts';
import type { SnippetSource } from '../snippet/evaluate.ts';
import type { GradientInlayHints } from './inlayHintsProvider.ts';
import type { LiveMode } from './liveMode.ts';
import type { PanelEvaluation } from './panelView.ts';

/** The latest evaluation: what hovers, reveals and highlights read. */
export interface Session {
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

export const state = {
  session: undefined as Session | undefined,
  /** The Output channel "Gradient Graph": what snippets print with console.log. */
  output: undefined as vscode.OutputChannel | undefined,
  /** The latest failed evaluation's document and error, for the panel's "select it" link. */
  lastError: undefined as { readonly uri: vscode.Uri; readonly viewColumn: vscode.ViewColumn | undefined; readonly error: SnippetErrorInfo } | undefined,
  running: undefined as AbortController | undefined,
  /** The inlay hints of the session (made in `activate`). */
  hints: undefined as GradientInlayHints | undefined,
  /** Follows the evaluated code through edits and runs it again in live mode (made in `activate`). */
  live: undefined as LiveMode | undefined,
  /** The panel's gradient check, if one runs: a new evaluation cancels it. */
  checking: undefined as AbortController | undefined,
  /** Counts pictures posted to the panel (the view message's `id`). */
  evaluationCount: 0,
  /** Whether the user was told that this editor's Node.js cannot put the sandbox under its permission model. */
  toldAboutWalls: false,
};

/** Who waits for the panel's next paint: only a graph posted after the wait began answers it (`after`: the count then). */
const renderWaiters: Array<{ readonly after: number; readonly resolve: (message: WebviewMessage) => void }> = [];

/** Resolves with the panel's report on the first picture posted after this call. */
export function nextRender(): Promise<WebviewMessage> {
  return new Promise((resolve) => renderWaiters.push({ after: state.evaluationCount, resolve }));
}

/** Answers the waiters that began before graph `id` was posted. */
export function answerRenderWaiters(id: number, message: WebviewMessage): void {
  for (let index = renderWaiters.length - 1; index >= 0; index--) {
    if (renderWaiters[index].after >= id) continue;
    renderWaiters[index].resolve(message);
    renderWaiters.splice(index, 1);
  }
}
