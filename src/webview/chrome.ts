/**
 * The panel's chrome around the graph: the toolbar (title, status, log link, actions), the banners (stale
 * graph, evaluation error, drawing error) and the details pane, each drawn again from `state` by its render
 * function after a change.
 */
import { autoCollapse } from '../graph/collapse.ts';
import { valueCount } from '../graph/reader.ts';
import { collapseAll, detailsActions, expandAll, toggleDetails } from './actions.ts';
import { nodeDetails } from './details.ts';
import { detailsPane, summaryPane } from './detailsView.ts';
import { element } from './dom.ts';
import { post } from './host.ts';
import { page } from './page.ts';
import { state } from './state.ts';
import { createToolbar } from './toolbar.ts';
import { command } from './viewportView.ts';

/** Above this many values, "Expand all" is not offered: mermaid needs about 10 s for 1,000. */
const EXPAND_ALL_LIMIT = 1000;

export const toolbar = createToolbar([page.title, page.status, page.logsLink, page.busy], [
  { id: 'expandAll', icon: 'expand-all', label: 'Expand all', title: "Expand all: draw every group's inside", priority: 2, run: () => expandAll() },
  { id: 'collapseAll', icon: 'collapse-all', label: 'Collapse all', title: 'Collapse all: each outermost call and loop iteration as one box', priority: 2, run: () => collapseAll() },
  { id: 'zoomOut', icon: 'zoom-out', label: 'Zoom out', title: 'Zoom out (-)', priority: 4, group: 'zoom', run: () => command('zoomOut') },
  { id: 'zoomIn', icon: 'zoom-in', label: 'Zoom in', title: 'Zoom in (+)', priority: 4, group: 'zoom', run: () => command('zoomIn') },
  { id: 'oneToOne', icon: 'screen-normal', label: 'Actual size', title: 'Actual size, 1:1 (0)', priority: 3, run: () => command('oneToOne') },
  { id: 'fit', icon: 'screen-full', label: 'Fit', title: 'Fit the graph in the panel (F)', priority: 6, run: () => command('fit') },
  { id: 'details', icon: 'layout-sidebar-right', label: 'Details', title: 'Show or hide the details pane', priority: 8, toggle: true, run: () => toggleDetails() },
], { zoomIn: page.zoomLabel });

page.logsLink.addEventListener('click', () => post({ type: 'showLogs' }));

export function renderDetails(): void {
  const { graphMessage, selected, consumers } = state;
  if (graphMessage === undefined) { page.details.replaceChildren(); return; }
  const { graph, settings, source } = graphMessage;
  const shown = selected === undefined ? undefined : nodeDetails(graph, selected, { digits: settings.digits, source, consumers });
  if (shown === undefined) { page.details.replaceChildren(summaryPane(graph, settings.digits, detailsActions)); return; }
  page.details.replaceChildren(detailsPane(shown, state.collapsed, detailsActions));
}

export function renderLayout(): void {
  page.app.classList.toggle('details-open', state.detailsOpen && state.graphMessage !== undefined);
  renderToolbar();
}

/** The toolbar's actions that apply to what is shown, and whether the details pane is open. */
function renderToolbar(): void {
  const applicable: string[] = [];
  const { graphMessage, collapsed } = state;
  if (graphMessage !== undefined) {
    const { graph } = graphMessage;
    if (collapsed.size > 0 && valueCount(graph) <= EXPAND_ALL_LIMIT) applicable.push('expandAll');
    if (graph.groups.length > 0 && ![...autoCollapse(graph, 0)].every((group) => collapsed.has(group))) applicable.push('collapseAll');
    applicable.push('zoomOut', 'zoomIn', 'oneToOne', 'fit', 'details');
  }
  toolbar.update(applicable, new Set(state.detailsOpen ? ['details'] : []));
}

export function renderStatus(): void {
  const { graphMessage } = state;
  const { title, status, logsLink } = page;
  page.busy.classList.toggle('shown', state.evaluating);
  page.placeholder.hidden = graphMessage !== undefined || state.errorMessage !== undefined;
  page.viewport.classList.toggle('empty', graphMessage === undefined);
  if (graphMessage === undefined) {
    title.textContent = '';
    status.textContent = '';
    logsLink.hidden = true;
    renderToolbar();
    return;
  }
  const { graph } = graphMessage;
  title.textContent = `∂${graph.outputLabel}`;
  title.title = `The gradient of ${graph.outputLabel} with respect to every value`;
  const parts = [`${graph.counts.nodes} nodes`];
  if (state.collapsed.size > 0) parts.push(`${state.collapsed.size} collapsed`);
  if (state.lastDraw !== undefined) parts.push(`drawn in ${state.lastDraw.milliseconds} ms`);
  status.textContent = parts.join(' · ');
  status.title = status.textContent;
  logsLink.hidden = graph.logs.length === 0;
  logsLink.textContent = `${graph.logs.length} log ${graph.logs.length === 1 ? 'line' : 'lines'}`;
  renderToolbar();
}

/** A button that looks like a link, as VS Code's own notifications show actions. */
function linkButton(className: string, text: string, title: string, onClick: () => void): HTMLElement {
  const button = element('button', { className: `link ${className}`, text, title, attributes: { type: 'button' } });
  button.addEventListener('click', onClick);
  return button;
}

/** `gradientGraph.timeLimit` of `gradientGraph.timeLimit (CLI: --timeout)`. */
const settingKeyOf = (setting: string) => setting.split(' ')[0];

export function renderBanners(): void {
  const shown: HTMLElement[] = [];
  if (state.stale) {
    shown.push(element('div', { className: 'banner stale', attributes: { role: 'status' } }, [
      element('span', { className: 'banner-icon', text: '⟳', attributes: { 'aria-hidden': 'true' } }),
      element('span', { text: 'The document changed since this graph was made: run Show Gradient Graph again' }),
    ]));
  }
  if (state.errorMessage !== undefined) {
    const { error, fileName } = state.errorMessage;
    const file = fileName.split(/[\\/]/).pop() ?? fileName;
    shown.push(element('div', { className: 'banner error', attributes: { role: 'alert' } }, [
      element('span', { className: 'banner-icon', text: '✕', attributes: { 'aria-hidden': 'true' } }),
      element('div', { className: 'banner-body' }, [
        element('div', { className: 'error-message', text: error.message }),
        element('div', { className: 'error-actions' }, [
          linkButton('error-location', `${file}:${error.line}:${error.column}`, `Select it in ${fileName}`, () => post({ type: 'revealError' })),
          error.setting === undefined ? undefined : linkButton('error-setting', 'Open the setting', `Open ${settingKeyOf(error.setting)} in the Settings editor`,
            () => post({ type: 'openSetting', key: settingKeyOf(error.setting!) })),
        ]),
        state.graphMessage === undefined ? undefined : element('div', { className: 'error-note', text: 'The graph below is from the last evaluation that worked.' }),
      ]),
    ]));
  }
  if (state.renderError !== undefined) {
    shown.push(element('div', { className: 'banner error', attributes: { role: 'alert' } }, [
      element('span', { className: 'banner-icon', text: '✕', attributes: { 'aria-hidden': 'true' } }),
      element('div', { className: 'banner-body' }, [element('div', { text: 'Could not draw this graph:' }), element('div', { className: 'error-message', text: state.renderError })]),
    ]));
  }
  page.banners.replaceChildren(...shown);
  page.canvas.classList.toggle('dimmed', state.errorMessage !== undefined);
}

export function renderAll(): void {
  renderLayout();
  renderStatus();
  renderBanners();
  renderDetails();
}
