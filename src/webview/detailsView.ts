/**
 * The details pane's DOM: the selected node (from `details.ts`), or a summary of the graph when nothing is
 * selected. Every string goes in through `textContent` (see `dom.ts`).
 */
import type { GraphGroup, GraphModel } from '../graph/model.ts';
import { formatNumber } from '../graph/format.ts';
import { labelOf } from '../graph/reader.ts';
import { gradientSign } from '../graph/labels.ts';
import type { Details } from './details.ts';
import { element, type Child } from './dom.ts';

export interface DetailsActions {
  select(id: number): void;
  clear(): void;
  expand(group: number): void;
  collapse(group: number): void;
}

/** A node's name as a link that selects it. */
function nodeLink(id: number, name: string, actions: DetailsActions): HTMLButtonElement {
  const link = element('button', { className: 'link', text: name, title: `Select ${name}`, attributes: { type: 'button' } });
  link.addEventListener('click', () => actions.select(id));
  return link;
}

function row(key: string, value: Child, className = ''): HTMLElement {
  return element('div', { className: `row ${className}`.trim() }, [element('span', { className: 'key', text: key }), element('span', { className: 'val' }, [value])]);
}

/** A number coloured by its sign, with its full precision as a tooltip. */
function signed(text: string, value: number | undefined): HTMLElement {
  return element('span', { className: `num ${value === undefined ? '' : gradientSign(value)}`.trim(), text, title: value === undefined ? '' : String(value) });
}

function section(title: string, children: readonly Child[]): HTMLElement {
  return element('section', {}, [element('h3', { text: title }), ...children]);
}

function table(headers: readonly string[], rows: ReadonlyArray<readonly Child[]>, className: string): HTMLElement {
  return element('table', { className }, [
    element('thead', {}, [element('tr', {}, headers.map((header) => element('th', { text: header })))]),
    element('tbody', {}, rows.map((cells) => element('tr', {}, cells.map((cell) => element('td', {}, [cell]))))),
  ]);
}

/** The pane for a selected node; `collapsed` are the collapsed groups (the node's own can be expanded or collapsed from here). */
export function detailsPane(details: Details, collapsed: ReadonlySet<number>, actions: DetailsActions): HTMLElement {
  const header = element('header', { className: 'details-header' }, [
    element('h2', { text: details.name, title: details.name }),
    element('span', { className: 'chip', text: details.isOutput ? `${details.kind} · output` : details.kind }),
    (() => {
      const close = element('button', { className: 'icon', text: '×', title: 'Clear the selection (Escape)', attributes: { type: 'button', 'aria-label': 'Clear the selection' } });
      close.addEventListener('click', () => actions.clear());
      return close;
    })(),
  ]);
  const children: Child[] = [
    header,
    element('div', { className: 'rows' }, [
      row('value', element('span', { className: 'num', text: details.value, title: String(details.exactValue) })),
      row(details.gradientName, signed(details.gradient, details.exactGradient), 'gradient'),
    ]),
  ];
  if (details.inputs.length > 0) {
    children.push(section('Inputs', [
      table(['input', 'value', '∂local', 'grad × local'], details.inputs.map((input) => [
        nodeLink(input.id, input.name, actions),
        element('span', { className: 'num', text: input.value }),
        element('span', { className: 'num', text: input.local }),
        signed(input.contribution, input.exactContribution),
      ]), 'inputs'),
      element('p', { className: 'hint', text: `Each input's share of its gradient through ${details.name}: ${details.gradientName} × ∂${details.name}/∂input.` }),
    ]));
  }
  if (details.consumers.length > 0) {
    children.push(section('Used by', [
      table(['node', 'kind', 'passes back'], details.consumers.map((consumer) => [
        nodeLink(consumer.id, consumer.name, actions),
        element('span', { text: consumer.kind }),
        signed(consumer.contribution, consumer.exactContribution),
      ]), 'consumers'),
      details.consumers.length > 1 ? element('p', { className: 'hint', text: `${details.gradientName} is the sum of what its consumers pass back.` }) : undefined,
    ]));
  }
  if (details.source !== undefined) {
    children.push(section('Source', [
      element('div', { className: 'source' }, [
        element('span', { className: 'line-number', text: `line ${details.source.line}` }),
        element('code', { text: details.source.text.trim() }),
      ]),
    ]));
  }
  if (details.groups.length > 0) children.push(section('Inside', [groupList(details.groups, collapsed, actions)]));
  return element('div', { className: 'details-content' }, children);
}

function groupList(groups: readonly GraphGroup[], collapsed: ReadonlySet<number>, actions: DetailsActions): HTMLElement {
  return element('ul', { className: 'groups' }, groups.map((group) => {
    const isCollapsed = collapsed.has(group.id);
    const toggle = element('button', {
      className: 'link small',
      text: isCollapsed ? 'expand' : 'collapse',
      title: isCollapsed ? `Draw the inside of ${group.label}` : `Draw ${group.label} as one box`,
      attributes: { type: 'button' },
    });
    toggle.addEventListener('click', () => (isCollapsed ? actions.expand(group.id) : actions.collapse(group.id)));
    return element('li', {}, [element('span', { text: group.label }), toggle]);
  }));
}

/** The pane when nothing is selected: what was evaluated, the leaves' gradients, and the snippet's logs. */
export function summaryPane(graph: GraphModel, digits: number, actions: DetailsActions): HTMLElement {
  const children: Child[] = [
    element('header', { className: 'details-header' }, [element('h2', { text: graph.outputLabel, title: graph.outputLabel }), element('span', { className: 'chip', text: 'output' })]),
    element('div', { className: 'rows' }, [
      row('value', element('span', { className: 'num', text: formatNumber(graph.data[graph.output], digits) })),
      row('nodes', element('span', { text: `${graph.counts.nodes} (${graph.counts.leaves} leaves, ${graph.counts.operations} operations, ${graph.counts.constants} constants)` })),
      row('time', element('span', { text: `${graph.timings.totalMs.toFixed(0)} ms` })),
    ]),
    element('p', { className: 'hint', text: 'Click a box to inspect it; click a group to expand it. Drag to pan, wheel to zoom.' }),
  ];
  if (graph.leaves.length > 0) {
    const shown = graph.leaves.slice(0, 200);
    children.push(section(`Gradients of the leaves`, [
      table(['leaf', 'value', `∂${graph.outputLabel}/∂leaf`], shown.map((id) => {
        return [nodeLink(id, labelOf(graph, id) ?? `#${id}`, actions), element('span', { className: 'num', text: formatNumber(graph.data[id], digits) }), signed(formatNumber(graph.grad[id], digits), graph.grad[id])];
      }), 'leaves'),
      graph.leaves.length > shown.length ? element('p', { className: 'hint', text: `and ${graph.leaves.length - shown.length} more` }) : undefined,
    ]));
  }
  if (graph.logs.length > 0) {
    children.push(section('console.log', [element('pre', { className: 'logs', text: graph.logs.join('\n') })]));
  }
  return element('div', { className: 'details-content' }, children);
}
