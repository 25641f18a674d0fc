/**
 * What the panel does with each message from the host: a picture of a new evaluation replaces the shown one
 * (or, after a reload, is shown as the panel was left), a picture of the same evaluation (another grouping)
 * is drawn in the same view, answers to requests fill the details pane and the search, an error shows over
 * the picture, and the cursor's boxes are highlighted.
 */
import type { HostMessage } from '../shared/messages.ts';
import { renderAll, renderBanners, renderDetails, renderFind, renderStatus } from './chrome.ts';
import { requestDetails } from './actions.ts';
import { persist } from './host.ts';
import { applyMarks } from './marks.ts';
import { chooseFound } from './findView.ts';
import { draw, loadMermaid } from './mermaidView.ts';
import { closeStepper, receiveScript } from './stepperView.ts';
import { state, type ViewMessage } from './state.ts';
import { ensureVisible } from './viewportView.ts';

/** Shows a picture: of a new evaluation (a new key), or of the shown one with other choices. */
export function showView(message: ViewMessage): void {
  const started = performance.now();
  // The stepper's steps were for the picture shown until now.
  closeStepper();
  const previous = state.current;
  const sameEvaluation = previous !== undefined && previous.key === message.key;
  // Another training step is another graph of the same evaluation: it opens at its own first view.
  const otherStep = sameEvaluation && previous.choices.step !== message.choices.step;
  const sameSettings = previous !== undefined && JSON.stringify(previous.settings) === JSON.stringify(message.settings);
  const restored = state.pendingRestore?.key === message.key ? state.pendingRestore : undefined;
  state.pendingRestore = undefined;
  state.errorMessage = undefined;
  state.evaluating = false;
  state.current = message;
  state.boxes = new Map(message.picture.boxes.map((box) => [box.id, box]));
  state.choices = message.choices;
  if (sameEvaluation && sameSettings && previous.picture.mermaid === message.picture.mermaid) {
    // The host resends its picture when the page says ready: the one shown already.
    renderAll();
    persist();
    return;
  }
  if (!sameEvaluation) {
    state.selected = restored?.selected;
    state.details = undefined;
    state.marks = { selected: [], related: [] };
    state.view = restored?.zoom !== undefined && restored.panX !== undefined && restored.panY !== undefined ? { zoom: restored.zoom, panX: restored.panX, panY: restored.panY } : undefined;
    state.highlighted = [];
    state.find = { ...state.find, values: [], index: -1 };
    state.lastDraw = undefined;
    if (restored === undefined) state.stale = false;
  } else if (otherStep && restored === undefined) {
    state.view = undefined;
  }
  // The selection's marks are on the boxes of this picture: ask for them again.
  if (state.selected !== undefined) requestDetails(state.selected);
  renderAll();
  persist();
  draw(started);
}

export function receive(message: HostMessage): void {
  switch (message.type) {
    case 'view':
      // An answer to a request that a newer one replaced is dropped: the newer answer follows.
      if (message.request !== undefined && message.request !== state.requests.view) return;
      showView(message);
      break;
    case 'details':
      if (message.request !== state.requests.details || message.key !== state.current?.key) return;
      state.details = message.details;
      state.marks = message.marks;
      applyMarks();
      renderDetails();
      break;
    case 'backward':
      if (message.request !== state.requests.backward || message.key !== state.current?.key) return;
      receiveScript(message.script);
      break;
    case 'found':
      if (message.request !== state.requests.find || message.key !== state.current?.key) return;
      state.find = { ...state.find, values: message.values, index: -1 };
      renderFind();
      // Enter before the answer came: go to the first value found.
      if (state.find.chooseFirst && message.values.length > 0) chooseFound(0);
      state.find = { ...state.find, chooseFirst: false };
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
      renderStatus();
      // Mermaid loads while the snippet evaluates, so that the first draw finds it ready.
      void loadMermaid().catch(() => undefined);
      break;
    case 'highlight': {
      state.highlighted = message.boxes;
      applyMarks();
      const first = state.highlighted.map((id) => state.drawn.elements.get(id)).find((found) => found !== undefined);
      if (first !== undefined) ensureVisible(first);
      break;
    }
    case 'stale':
      state.stale = message.stale;
      renderBanners();
      break;
    case 'check':
      if (message.request !== state.requests.check || message.key !== state.current?.key) return;
      state.check = { key: message.key, status: message.status };
      renderDetails();
      break;
  }
}
