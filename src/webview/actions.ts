/**
 * What the user can do to the picture, whichever way they ask (a click, a key, the toolbar, the details
 * pane, the search): select a node, open or close a group, go back to the first picture, find a value.
 * Each changes `state` and asks the host for what it needs (a new picture, a node's details, a search),
 * by a request whose answer `receive.ts` takes.
 */
import { NO_CHOICES, type DrawnBox, type ViewChoices } from '../graph/plan.ts';
import { renderDetails, renderFind, renderLayout } from './chrome.ts';
import type { DetailsActions } from './detailsView.ts';
import { nextRequest, persist, post } from './host.ts';
import { applyMarks } from './marks.ts';
import { state } from './state.ts';
import { ensureVisible } from './viewportView.ts';

/** Asks the host for node `id`'s details and its marks on the picture. */
export function requestDetails(id: number): void {
  const { current } = state;
  if (current !== undefined) post({ type: 'details', request: nextRequest('details'), key: current.key, node: id });
}

/** Selects a node (or nothing), and with `reveal` selects its source in the editor. */
export function select(id: number | undefined, reveal: boolean): void {
  const { current } = state;
  if (current === undefined) return;
  const selected = id !== undefined && Number.isInteger(id) && id >= 0 && id < current.summary.counts.nodes ? id : undefined;
  state.selected = selected;
  if (selected === undefined) {
    state.details = undefined;
    state.marks = { selected: [], related: [] };
    state.requests.details = -1;
  } else {
    requestDetails(selected);
    if (!state.detailsOpen) { state.detailsOpen = true; renderLayout(); }
    const shown = state.drawn.elements.get(`v${selected}`);
    if (shown !== undefined) ensureVisible(shown);
    if (reveal) post({ type: 'reveal', node: selected });
  }
  applyMarks();
  renderDetails();
  persist();
}

/** Asks the host for the picture with `choices`. */
function requestView(choices: ViewChoices): void {
  const { current } = state;
  if (current === undefined) return;
  state.choices = choices;
  persist();
  post({ type: 'view', request: nextRequest('view'), key: current.key, choices });
}

const without = (keys: readonly string[], key: string) => keys.filter((other) => other !== key);

/** The current choices with some changed; a reveal lasts until the next change (it asked for one node once). */
function choicesWith(changes: Partial<ViewChoices>): ViewChoices {
  const { opened, closed, cone, step } = state.choices;
  const next = { opened, closed, cone, step, ...changes };
  return {
    opened: next.opened, closed: next.closed,
    ...(next.reveal !== undefined ? { reveal: next.reveal } : {}), ...(next.cone !== undefined ? { cone: next.cone } : {}), ...(next.step !== undefined ? { step: next.step } : {}),
  };
}

/**
 * Shows training step `step`'s graph (or the whole run's): its own first picture, around its loss. A step
 * that kept no graph (older than the strip's slider allows) is not asked for.
 */
export function selectStep(step: number | undefined): void {
  const training = state.current?.training;
  if (training === undefined || step === state.choices.step) return;
  if (step !== undefined && (step < training.firstWithGraph || step >= training.count)) return;
  requestView({ opened: [], closed: [], ...(step !== undefined ? { step } : {}) });
}

/** Opens a view group (a call, a loop, a run of iterations, a tensor): the host re-plans within the budget. */
export function openGroup(key: string): void {
  state.revealAfterDraw = { group: key };
  requestView(choicesWith({ opened: [...without(state.choices.opened, key), key], closed: without(state.choices.closed, key) }));
}

export function closeGroup(key: string): void {
  requestView(choicesWith({ opened: without(state.choices.opened, key), closed: [...without(state.choices.closed, key), key] }));
}

/** Back to the first picture: the output and what fits around it. */
export function resetView(): void {
  requestView(state.choices.step !== undefined ? { ...NO_CHOICES, step: state.choices.step } : NO_CHOICES);
}

/** Shows a node as a box of its own (opening the groups around it), and selects it. */
export function revealValue(node: number): void {
  state.revealAfterDraw = { node };
  requestView(choicesWith({ reveal: [node] }));
  select(node, false);
}

/** Shows only what feeds `node` (its cone), or everything again (`undefined`). */
export function showCone(node: number | undefined): void {
  requestView(choicesWith({ cone: node }));
}

export function toggleDetails(): void {
  state.detailsOpen = !state.detailsOpen;
  renderLayout();
  persist();
}

/** Searches the values by name or source text (the host answers with what it found). */
export function find(query: string): void {
  const { current } = state;
  state.find = { ...state.find, query };
  if (current === undefined) return;
  if (query.trim() === '') {
    state.find = { ...state.find, values: [], index: -1 };
    state.requests.find = -1;
    renderFind();
    return;
  }
  post({ type: 'find', request: nextRequest('find'), key: current.key, query });
}

/** A click (or Enter) on a drawn element: a group or tensor opens, a node is selected and revealed. */
export function activate(box: DrawnBox): void {
  if ((box.kind === 'group' || box.kind === 'tensor') && box.group !== undefined) openGroup(box.group);
  else if (box.node !== undefined) select(box.node, true);
}

/** Asks the host to check the leaves' gradients with finite differences; its answers fill the summary. */
export function requestCheck(): void {
  const { current } = state;
  if (current === undefined) return;
  state.check = { key: current.key, status: { state: 'running', done: 0, total: 0 } };
  post({ type: 'check', request: nextRequest('check'), key: current.key });
  renderDetails();
}

export const detailsActions: DetailsActions = {
  check: requestCheck,
  select: (id) => select(id, true),
  clear: () => select(undefined, false),
  open: openGroup,
  close: closeGroup,
  cone: (id) => showCone(id),
  reveal: (id) => post({ type: 'reveal', node: id }),
};
