/**
 * Mermaid's syntax, and nothing else: the text of a plan (`plan.ts`) from its boxes, frames and edges, in
 * the look of micrograd's `draw_dot` (a box per value with `name | data | grad`, a small round node per
 * operation). What each box says, its id and classes were decided by the plan.
 *
 * Every label goes through `escapeLabel`, which keeps a short list of safe characters and writes every
 * other one as a mermaid entity (`#60;`), so no name or value can inject mermaid syntax or HTML; only the
 * `<br/>` between a label's lines is written as it is. The same plan gives the same text.
 */
import { labelText, NODE_CLASS } from './labels.ts';
import type { DrawnBox, DrawnEdge, DrawnFrame } from './plan.ts';

const SAFE = /[A-Za-z0-9 _.,:()[\]+\-*/%=·∂∞|]/;

/** A label as mermaid text: safe characters as they are, every other one as an entity such as `#35;`. */
export function escapeLabel(text: string): string {
  let escaped = '';
  for (const character of text) escaped += SAFE.test(character) ? character : `#${character.codePointAt(0)};`;
  return escaped;
}

/** A box's label: each line's parts as `labelText` joins them, escaped, lines joined by `<br/>`. */
export const boxLabel = (lines: DrawnBox['lines']): string => lines.map((line) => escapeLabel(labelText(line))).join('<br/>');

/** A box's shape around its label: a rectangle for values and tensors, a circle for operations, a subroutine box for groups. */
function shape(box: DrawnBox): string {
  const label = `"${boxLabel(box.lines)}"`;
  switch (box.kind) {
    case 'operation': return `((${label}))`;
    case 'group': return `[[${label}]]`;
    default: return `[${label}]`;
  }
}

/** The flowchart: frames nested as they nest, each box in its frame, then the edges, then the classes. */
export function planText(boxes: readonly DrawnBox[], frames: readonly DrawnFrame[], edges: readonly DrawnEdge[], direction: 'LR' | 'TB'): string {
  const lines = [`flowchart ${direction}`];
  const boxesIn = new Map<string | undefined, DrawnBox[]>();
  for (const box of boxes) {
    const list = boxesIn.get(box.frame);
    if (list === undefined) boxesIn.set(box.frame, [box]);
    else list.push(box);
  }
  const framesIn = new Map<string | undefined, DrawnFrame[]>();
  for (const frame of frames) {
    const list = framesIn.get(frame.parent);
    if (list === undefined) framesIn.set(frame.parent, [frame]);
    else list.push(frame);
  }
  // Mermaid's `class a,b name` takes a list of ids and one class: gather the ids of each class.
  const classes = new Map<string, string[]>();
  const addClass = (id: string, name: string) => {
    const ids = classes.get(name);
    if (ids) ids.push(id);
    else classes.set(name, [id]);
  };
  const write = (frame: string | undefined, indent: string) => {
    for (const box of boxesIn.get(frame) ?? []) {
      lines.push(`${indent}${box.id}${shape(box)}`);
      for (const name of box.classes) addClass(box.id, name);
    }
    for (const inner of framesIn.get(frame) ?? []) {
      lines.push(`${indent}subgraph ${inner.id} ["${escapeLabel(inner.label)}"]`);
      write(inner.id, `${indent}  `);
      lines.push(`${indent}end`);
      addClass(inner.id, NODE_CLASS.frame);
    }
  };
  write(undefined, '  ');
  for (const edge of edges) {
    const arrow = edge.cut ? '-.->' : '-->';
    lines.push(`  ${edge.from} ${arrow}${edge.count > 1 ? `|${edge.count}|` : ''} ${edge.to}`);
  }
  for (const [name, ids] of classes) lines.push(`  class ${ids.join(',')} ${name}`);
  return lines.join('\n') + '\n';
}
