/**
 * What the panel does with each message from the host: a new graph replaces the shown one (or, after a
 * reload, is drawn as the panel was left), an error shows over it, and the cursor's nodes are highlighted.
 */
import { autoCollapse } from '../graph/collapse.ts';
import { consumersOf } from '../graph/reader.ts';
import type { EvaluationOrigin, HostMessage } from '../shared/messages.ts';
import { renderAll, renderBanners, renderStatus } from './chrome.ts';
import { persist } from './host.ts';
import { applyMarks, elementsOf } from './marks.ts';
import { draw, loadMermaid } from './mermaidView.ts';
import { state, type GraphMessage, type PanelState } from './state.ts';
import { ensureVisible } from './viewportView.ts';

/** The same evaluation drawn with the same settings (its key is unique to it, across reloads). */
function sameGraph(a: GraphMessage, b: GraphMessage): boolean {
  return a.key === b.key && JSON.stringify(a.settings) === JSON.stringify(b.settings);
}

const sameOrigin = (a: EvaluationOrigin | undefined, b: EvaluationOrigin | undefined) => a !== undefined && b !== undefined && a.uri === b.uri && a.start === b.start && a.end === b.end;

/** Shows a graph; `restored` is the saved state to show it in (groups, selection, view) after a reload. */
export function showGraph(message: GraphMessage, restored?: PanelState): void {
  const started = performance.now();
  const fresh = message;
  const same = state.graphMessage !== undefined && restored === undefined && sameGraph(state.graphMessage, fresh);
  state.errorMessage = undefined;
  state.evaluating = false;
  if (same) {
    // The host answers `ready` with its current graph: after a reload that is the one restored already
    // (and perhaps being drawn), so the view, the selection and the groups stay as they are.
    renderAll();
    persist();
    return;
  }
  state.graphMessage = fresh;
  state.consumers = consumersOf(fresh.graph);
  state.collapsed = restored?.collapsed !== undefined ? new Set(restored.collapsed) : autoCollapse(fresh.graph, fresh.settings.collapseAbove);
  state.selected = restored?.selected;
  state.view = restored?.zoom !== undefined && restored.panX !== undefined && restored.panY !== undefined ? { zoom: restored.zoom, panX: restored.panX, panY: restored.panY } : undefined;
  state.highlighted = [];
  state.lastDraw = undefined;
  if (restored === undefined) state.stale = false;
  renderAll();
  persist();
  draw(started);
}

export function receive(message: HostMessage): void {
  switch (message.type) {
    case 'graph':
      if (state.pendingRestore !== undefined && sameOrigin(state.pendingRestore.origin, message.origin)) {
        // The graph asked for after a reload: drawn as the panel was left (groups, selection, view).
        const restored = state.pendingRestore;
        state.pendingRestore = undefined;
        showGraph(message, restored);
      } else {
        state.pendingRestore = undefined;
        showGraph(message);
      }
      break;
    case 'error':
      state.errorMessage = message;
      state.evaluating = false;
      renderStatus();
      renderBanners();
      persist();
      break;
    case 'evaluating':
      state.evaluating = true;
      void loadMermaid().catch(() => undefined);
      renderStatus();
      break;
    case 'highlight': {
      state.highlighted = message.nodes;
      applyMarks();
      const first = state.highlighted.map((id) => elementsOf(id)[0]).find((found) => found !== undefined);
      if (first !== undefined) ensureVisible(first);
      break;
    }
    case 'stale':
      state.stale = message.stale;
      renderBanners();
      break;
  }
}
