/**
 * The marks on the drawn picture: the selected node, the nodes related to it (its inputs and consumers), the
 * edges through it, and the boxes the editor's cursor highlights. Which elements show a node is the host's
 * answer (a node hidden in a collapsed group is marked on the group's box); this module only applies it.
 */
import { page } from './page.ts';
import { state } from './state.ts';

const MARKS = ['selected', 'related', 'highlighted', 'selected-edge'] as const;

/** The drawn elements with these mermaid ids. */
export function elementsWithIds(ids: readonly string[]): Element[] {
  return ids.map((id) => state.drawn.elements.get(id)).filter((found) => found !== undefined);
}

export function applyMarks(): void {
  for (const mark of MARKS) for (const marked of Array.from(page.canvas.querySelectorAll(`.${mark}`))) marked.classList.remove(mark);
  if (state.current === undefined) return;
  if (state.selected !== undefined) {
    for (const found of elementsWithIds(state.marks.related)) found.classList.add('related');
    for (const found of elementsWithIds(state.marks.selected)) found.classList.add('selected');
    // The edges into the selected node's operation, from it to its box, and out of its box.
    const selected = new Set(state.marks.selected);
    for (const edge of state.drawn.edges) if (selected.has(edge.from) || selected.has(edge.to)) edge.element.classList.add('selected-edge');
  }
  for (const found of elementsWithIds(state.highlighted)) found.classList.add('highlighted');
}
