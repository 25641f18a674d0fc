/**
 * The gradient check in the details pane's summary: the "Check with finite differences" button, its
 * progress, and once it is done the "numeric" column of the leaves table, with the leaves that disagree
 * marked and the reason under the table. What it shows is the host's answer (`panelCheck.ts`).
 */
import { decodeNumber } from '../graph/codec.ts';
import { formatNumber } from '../graph/format.ts';
import type { CheckStatus, LeafCheckView } from '../shared/messages.ts';
import { element, type Child } from './dom.ts';

/** The button, or the progress, or the result's one-line summary and the reasons of the leaves that disagree. */
export function checkControl(status: CheckStatus | undefined, names: ReadonlyMap<number, string>, check: () => void): HTMLElement {
  const button = element('button', {
    className: 'link small check', text: status?.state === 'done' ? 'Check again' : 'Check with finite differences',
    title: 'Evaluate the snippet again with each leaf moved a little either way, and compare the numeric derivative with autograd\'s',
    attributes: { type: 'button' },
  });
  button.addEventListener('click', check);
  if (status?.state === 'running') {
    const text = status.total > 0 ? `Checking… ${status.done} of ${status.total} runs` : 'Checking…';
    return element('p', { className: 'check-status', text, attributes: { role: 'status' } });
  }
  if (status?.state === 'failed') return element('div', { className: 'check-status' }, [element('p', { className: 'check-failed', text: `The check failed: ${status.message}` }), button]);
  if (status?.state !== 'done') return element('div', { className: 'check-status' }, [button]);
  const disagreeing = status.leaves.filter((leaf) => leaf.disagrees);
  const worst = formatNumber(decodeNumber(status.worst), 2);
  const summary = disagreeing.length === 0
    ? `Every leaf agrees with finite differences (worst relative error ${worst}).`
    : `${disagreeing.length} of ${status.leaves.length} leaves disagree with finite differences (worst relative error ${worst}).`;
  const reasons = disagreeing.filter((leaf) => leaf.reason !== undefined).slice(0, 20)
    .map((leaf) => element('li', { text: `${names.get(leaf.id) ?? `#${leaf.id}`}: ${leaf.reason!}` }));
  return element('div', { className: 'check-status', attributes: { role: 'status' } }, [
    element('p', { className: disagreeing.length === 0 ? 'check-agrees' : 'check-disagrees', text: summary }),
    reasons.length > 0 ? element('ul', { className: 'check-reasons' }, reasons) : undefined,
    button,
  ]);
}

/** The leaves' checks by node id, once the check is done. */
export function checkedLeaves(status: CheckStatus | undefined): ReadonlyMap<number, LeafCheckView> | undefined {
  return status?.state === 'done' ? new Map(status.leaves.map((leaf) => [leaf.id, leaf])) : undefined;
}

/** A leaf's "numeric" cell: its numeric derivative, marked when it disagrees (the tooltip has the relative error). */
export function numericCell(leaf: LeafCheckView | undefined, digits: number): Child {
  if (leaf === undefined) return element('span', { className: 'num', text: '' });
  const numeric = decodeNumber(leaf.numeric);
  const error = formatNumber(decodeNumber(leaf.relativeError), 2);
  return element('span', {
    className: `num ${leaf.disagrees ? 'check-disagrees' : 'check-agrees'}`,
    text: `${formatNumber(numeric, digits)}${leaf.disagrees ? ' ⚠' : ''}`,
    title: `${String(numeric)}; relative error ${error}${leaf.reason !== undefined ? `: ${leaf.reason}` : ''}`,
    attributes: leaf.disagrees ? { 'aria-label': `${formatNumber(numeric, digits)}, disagrees` } : {},
  });
}
