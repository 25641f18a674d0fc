/**
 * The page's side of VS Code's webview API: `acquireVsCodeApi` is called once, here. Messages go to the
 * host through `post`; the panel's state is saved with `persist` and read back with `savedState`.
 */
import type { WebviewMessage } from '../shared/messages.ts';
import { state, type PanelState } from './state.ts';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

/** What the page saved before it was hidden or reloaded, if anything. */
export function savedState(): PanelState | undefined {
  return (vscode.getState() as PanelState | null | undefined) ?? undefined;
}

/** Saves the view (never the graph: its size would be serialised at every pan and zoom). */
export function persist(): void {
  if (state.persistTimer !== undefined) clearTimeout(state.persistTimer);
  state.persistTimer = undefined;
  const { current, view } = state;
  const restoring = current === undefined ? state.pendingRestore : undefined;
  const saved: PanelState = {
    key: current?.key ?? restoring?.key,
    origin: current?.origin ?? restoring?.origin,
    choices: current !== undefined ? state.choices : restoring?.choices,
    error: state.errorMessage,
    selected: state.selected ?? restoring?.selected,
    zoom: view?.zoom ?? restoring?.zoom,
    panX: view?.panX ?? restoring?.panX,
    panY: view?.panY ?? restoring?.panY,
    detailsOpen: state.detailsOpen,
    legendOpen: state.legendOpen,
  };
  vscode.setState(saved);
}

/** A new request's id: the newest of its kind, whose answer alone is taken. */
export function nextRequest(kind: 'view' | 'details' | 'find' | 'backward' | 'check'): number {
  const id = ++state.requests.next;
  state.requests[kind] = id;
  return id;
}

/** Pan and zoom change at every pointer move: keep them at most four times a second. */
export function persistSoon(): void {
  state.persistTimer ??= setTimeout(persist, 250);
}

/** Saves a pending pan or zoom now (a hidden panel is destroyed). */
export function persistPending(): void {
  if (state.persistTimer !== undefined) persist();
}
