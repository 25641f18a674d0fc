/**
 * What the user can do to the graph, whichever way they ask (a click, a key, the toolbar, the details
 * pane): select a node, expand or collapse groups, open the details pane. Each changes `state`, then
 * draws, marks and saves what the change touches.
 */
import { autoCollapse, collapseGroup, expandGroup } from '../graph/collapse.ts';
import type { DiagramRef } from '../graph/labels.ts';
import { renderDetails, renderLayout } from './chrome.ts';
import type { DetailsActions } from './detailsView.ts';
import { persist, post } from './host.ts';
import { applyMarks, elementsOf } from './marks.ts';
import { draw } from './mermaidView.ts';
import { state } from './state.ts';
import { ensureVisible } from './viewportView.ts';

/** Selects a node (or nothing), and with `reveal` selects its source in the editor. */
export function select(id: number | undefined, reveal: boolean): void {
  const { graphMessage } = state;
  if (graphMessage === undefined) return;
  const selected = id !== undefined && id >= 0 && id < graphMessage.graph.nodeCount ? id : undefined;
  state.selected = selected;
  applyMarks();
  renderDetails();
  persist();
  if (selected === undefined) return;
  if (!state.detailsOpen) { state.detailsOpen = true; renderLayout(); }
  const shown = elementsOf(selected)[0];
  if (shown !== undefined) ensureVisible(shown);
  if (reveal) post({ type: 'reveal', node: selected });
}

function setCollapsed(next: Set<number>): void {
  state.collapsed = next;
  persist();
  renderDetails();
  draw();
}

function expand(group: number): void {
  const { graphMessage } = state;
  if (graphMessage !== undefined) setCollapsed(expandGroup(graphMessage.graph, state.collapsed, group, graphMessage.settings.collapseAbove));
}

export function expandAll(): void {
  setCollapsed(new Set());
}

export function collapseAll(): void {
  if (state.graphMessage !== undefined) setCollapsed(autoCollapse(state.graphMessage.graph, 0));
}

export function toggleDetails(): void {
  state.detailsOpen = !state.detailsOpen;
  renderLayout();
  persist();
}

/** A click (or Enter) on a drawn element: a group expands, a node is selected and revealed. */
export function activate(ref: DiagramRef): void {
  if (state.graphMessage === undefined) return;
  if (ref.kind === 'group') expand(ref.id);
  else select(ref.id, true);
}

export const detailsActions: DetailsActions = {
  select: (id) => select(id, true),
  clear: () => select(undefined, false),
  expand,
  collapse: (group) => state.graphMessage && setCollapsed(collapseGroup(state.graphMessage.graph, state.collapsed, group)),
};
