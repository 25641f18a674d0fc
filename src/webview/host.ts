/**
 * The page's side of VS Code's webview API: `acquireVsCodeApi` is called once, here. Messages go to the
 * host through `post`; the panel's state is saved with `persist` and read back with `savedState`.
 */
import { encodeGraph } from '../graph/codec.ts';
import type { WebviewMessage } from '../shared/messages.ts';
import { state, type PanelState } from './state.ts';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Graphs up to this many nodes are saved whole in the panel's state. */
const SAVED_GRAPH_NODES = 5000;

const vscode = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

/** What the page saved before it was hidden or reloaded, if anything. */
export function savedState(): PanelState | undefined {
  return (vscode.getState() as PanelState | null | undefined) ?? undefined;
}

export function persist(): void {
  if (state.persistTimer !== undefined) clearTimeout(state.persistTimer);
  state.persistTimer = undefined;
  const { graphMessage, view } = state;
  const saved: PanelState = {
    // A small graph is kept whole (a reload redraws it at once); a large one only by its origin, which the
    // host evaluates again after a reload: saving it would serialise megabytes at every pan and zoom.
    graph: graphMessage && graphMessage.graph.nodeCount <= SAVED_GRAPH_NODES ? { ...graphMessage, graph: encodeGraph(graphMessage.graph) } : undefined,
    origin: graphMessage?.origin ?? state.pendingRestore?.origin,
    error: state.errorMessage,
    collapsed: [...state.collapsed],
    selected: state.selected,
    zoom: view?.zoom,
    panX: view?.panX,
    panY: view?.panY,
    detailsOpen: state.detailsOpen,
    legendOpen: state.legendOpen,
  };
  vscode.setState(saved);
}

/** Pan and zoom change at every pointer move: keep them at most four times a second. */
export function persistSoon(): void {
  state.persistTimer ??= setTimeout(persist, 250);
}

/** Saves a pending pan or zoom now (a hidden panel is destroyed). */
export function persistPending(): void {
  if (state.persistTimer !== undefined) persist();
}
