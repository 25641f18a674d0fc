/**
 * The marks on the drawn graph: the selected node, the nodes related to it (its inputs and consumers), the
 * edges through it, and the nodes the editor's cursor highlights. A node hidden in a collapsed group is
 * marked on the group's box.
 */
import { hiddenIn } from '../graph/collapse.ts';
import { isSelectedEdge } from '../graph/labels.ts';
import { groupOf, inputsOf } from '../graph/reader.ts';
import { page } from './page.ts';
import { state } from './state.ts';

const MARKS = ['selected', 'related', 'highlighted', 'selected-edge'] as const;

/** The elements that show a node: its box and operation circle, or the collapsed group that hides it. */
export function elementsOf(id: number): Element[] {
  const { graphMessage, drawn } = state;
  if (graphMessage === undefined) return [];
  const { graph } = graphMessage;
  if (!(id >= 0 && id < graph.nodeCount)) return [];
  const hidden = hiddenIn(graph, groupOf(graph, id), state.collapsed);
  if (hidden !== undefined) return [drawn.groups.get(hidden)].filter((found) => found !== undefined);
  return [drawn.values.get(id), drawn.operations.get(id)].filter((found) => found !== undefined);
}

export function applyMarks(): void {
  for (const mark of MARKS) for (const marked of Array.from(page.canvas.querySelectorAll(`.${mark}`))) marked.classList.remove(mark);
  const { graphMessage, selected } = state;
  if (graphMessage === undefined) return;
  if (selected !== undefined) {
    for (const related of [...inputsOf(graphMessage.graph, selected), ...state.consumers(selected)]) for (const found of elementsOf(related)) found.classList.add('related');
    for (const found of elementsOf(selected)) { found.classList.remove('related'); found.classList.add('selected'); }
    for (const edge of state.drawn.edges) if (isSelectedEdge(edge, selected)) edge.element.classList.add('selected-edge');
  }
  for (const id of state.highlighted) for (const found of elementsOf(id)) found.classList.add('highlighted');
}
