/**
 * The details pane's DOM: the selected node (from `details.ts`), or a summary of the graph when nothing is
 * selected. Every string goes in through `textContent` (see `dom.ts`).
 */
import type { Details } from '../graph/details.ts';
import { formatNumber } from '../graph/format.ts';
import { gradientSign } from '../graph/labels.ts';
import type { GraphSummary } from '../graph/summary.ts';
import type { CheckStatus } from '../shared/messages.ts';
import { checkControl, checkedLeaves, numericCell } from './checkView.ts';
import { element, type Child } from './dom.ts';

export interface DetailsActions {
  select(id: number): void;
  clear(): void;
  /** Open or close a view group, by its key. */
  open(group: string): void;
  close(group: string): void;
  /** Show only what feeds this node, or everything again (undefined). */
  cone(id: number | undefined): void;
  /** Select a node's source in the editor, leaving the selection in the panel as it is. */
  reveal(id: number): void;
  /** Check the leaves' gradients with finite differences. */
  check(): void;
}

/**
 * The chain-rule ledger: the node's gradient as a sum, one line per consumer, as a learner writes it
 * (`∂e/∂a = 25 (through d, 5 × 5) + 20 (through c, 20 × 1) = 45`), then what a derivation that overwrites
 * instead of adding would get, and why.
 */
function ledgerSection(details: Details, actions: DetailsActions): HTMLElement | undefined {
  const { ledger } = details;
  if (ledger === undefined) return undefined;
  const lines = ledger.terms.map((term, index) => {
    const source = element('button', { className: 'link small', text: 'source', title: `Select the source of ${term.consumerName} in the editor`, attributes: { type: 'button' } });
    source.addEventListener('click', () => actions.reveal(term.consumer));
    const why = term.direct
      ? ['(directly in ', nodeLink(term.consumer, term.consumerName, actions), `, ∂${term.consumerName}/∂${details.name} = ${term.local})`]
      : ['(through ', nodeLink(term.consumer, term.consumerName, actions), `, ${term.upstream} × ${term.local})`];
    // The spaces between the parts are for reading the line as text (a screen reader, a copy); the
    // flex gap spaces them on screen.
    return element('div', { className: 'ledger-term' }, [
      element('span', { className: 'ledger-sign', text: index === 0 ? '' : '+' }), ' ',
      signed(term.contribution, term.exactContribution), ' ',
      element('span', { className: 'ledger-why' }, why), ' ',
      source,
    ]);
  });
  return section('Chain rule', [
    element('div', { className: 'ledger', attributes: { role: 'group', 'aria-label': `${details.gradientName} as a sum over its consumers` } }, [
      element('div', { className: 'ledger-head', text: `${details.gradientName} =` }),
      ...lines,
      element('div', { className: 'ledger-total' }, [element('span', { className: 'ledger-sign', text: '=' }), ' ', element('span', { className: 'num', text: ledger.total })]),
    ]),
    ...ledger.notes.map((note) => element('p', { className: 'hint ledger-note', text: note })),
  ]);
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

/**
 * The pane for a selected node. `open` are the keys of the groups open in the picture (the node's own can
 * be opened or closed from here); `coneShown` says the picture shows only what feeds this node.
 */
export function detailsPane(details: Details, open: ReadonlySet<string>, coneShown: boolean, actions: DetailsActions): HTMLElement {
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
      // In a training step: the `.grad` the snippet read, when it summed over steps (it was not zeroed).
      details.accumulatedGradient !== undefined && details.exactAccumulatedGradient !== undefined
        ? row('.grad (accumulated)', signed(details.accumulatedGradient, details.exactAccumulatedGradient))
        : undefined,
    ]),
    (() => {
      const cone = element('button', {
        className: 'link small cone',
        text: coneShown ? 'Show everything' : 'Show only what feeds this',
        title: coneShown ? 'Draw the whole graph again' : `Draw only the values ${details.name} is computed from`,
        attributes: { type: 'button' },
      });
      cone.addEventListener('click', () => actions.cone(coneShown ? undefined : details.id));
      return cone;
    })(),
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
  const ledger = ledgerSection(details, actions);
  if (ledger !== undefined) children.push(ledger);
  if (details.consumers.length > 0 && ledger === undefined) {
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
  if (details.groups.length > 0) children.push(section('Inside', [groupList(details.groups, open, actions)]));
  return element('div', { className: 'details-content' }, children);
}

function groupList(groups: Details['groups'], open: ReadonlySet<string>, actions: DetailsActions): HTMLElement {
  return element('ul', { className: 'groups' }, groups.map((group) => {
    const isOpen = open.has(group.key);
    const toggle = element('button', {
      className: 'link small',
      text: isOpen ? 'collapse' : 'expand',
      title: isOpen ? `Draw ${group.label} as one box` : `Draw the inside of ${group.label}`,
      attributes: { type: 'button' },
    });
    toggle.addEventListener('click', () => (isOpen ? actions.close(group.key) : actions.open(group.key)));
    return element('li', {}, [element('span', { text: group.label }), toggle]);
  }));
}

/** The pane when nothing is selected: what was evaluated, the leaves' gradients, and the snippet's logs. */
export function summaryPane(summary: GraphSummary, digits: number, actions: DetailsActions, check?: CheckStatus): HTMLElement {
  const { counts } = summary;
  const children: Child[] = [
    element('header', { className: 'details-header' }, [element('h2', { text: summary.outputLabel, title: summary.outputLabel }), element('span', { className: 'chip', text: 'output' })]),
    element('div', { className: 'rows' }, [
      row('value', element('span', { className: 'num', text: formatNumber(summary.outputData, digits) })),
      row('nodes', element('span', { text: `${counts.nodes.toLocaleString('en-US')} (${counts.leaves.toLocaleString('en-US')} leaves, ${counts.operations.toLocaleString('en-US')} operations, ${counts.constants.toLocaleString('en-US')} constants)` })),
      row('time', element('span', { text: `${summary.totalMs.toFixed(0)} ms` })),
    ]),
    element('p', { className: 'hint', text: 'Click a box to inspect it; click a group to open it, its frame\'s name to close it. Ctrl+F finds a value. Drag to pan, wheel to zoom.' }),
  ];
  if (summary.leaves.length > 0) {
    // Once checked, a "numeric" column beside autograd's (`checkView.ts`).
    const checked = checkedLeaves(check);
    children.push(section(`Gradients of the leaves`, [
      table(['leaf', 'value', `∂${summary.outputLabel}/∂leaf`, ...(checked ? ['numeric'] : [])], summary.leaves.map((leaf) => {
        const cells = [nodeLink(leaf.id, leaf.name, actions), element('span', { className: 'num', text: formatNumber(leaf.data, digits) }), signed(formatNumber(leaf.grad, digits), leaf.grad)];
        return checked ? [...cells, numericCell(checked.get(leaf.id), digits)] : cells;
      }), 'leaves'),
      counts.leaves > summary.leaves.length ? element('p', { className: 'hint', text: `and ${(counts.leaves - summary.leaves.length).toLocaleString('en-US')} more` }) : undefined,
      checkControl(check, new Map(summary.leaves.map((leaf) => [leaf.id, leaf.name])), () => actions.check()),
    ]));
  }
  if (summary.logs.length > 0) {
    children.push(section('console.log', [element('pre', { className: 'logs', text: summary.logs.join('\n') })]));
  }
  return element('div', { className: 'details-content' }, children);
}
