/**
 * The panel's chrome around the graph: the toolbar (title, status, log link, actions), the banners (stale
 * graph, evaluation error, drawing error) and the details pane, each drawn again from `state` by its render
 * function after a change.
 */
import { detailsActions, resetView, selectStep, showCone, toggleDetails } from './actions.ts';
import { detailsPane, summaryPane } from './detailsView.ts';
import { renderFindBar } from './findView.ts';
import { element } from './dom.ts';
import { createExportMenu } from './exportMenu.ts';
import { post } from './host.ts';
import { page } from './page.ts';
import { state } from './state.ts';
import { createToolbar } from './toolbar.ts';
import { createTrainingStrip } from './trainingView.ts';
import { closeStepper, openStepper, stepperOpen } from './stepperView.ts';
import { command } from './viewportView.ts';

export const toolbar = createToolbar([page.title, page.status, page.logsLink, page.busy], [
  { id: 'reset', icon: 'discard', label: 'First picture', title: 'Back to the first picture: the output, and the calls and loops that fit around it', priority: 2, run: () => resetView() },
  { id: 'allValues', icon: 'list-tree', label: 'Show everything', title: 'Show everything again, not only what feeds the selected value', priority: 7, run: () => showCone(undefined) },
  { id: 'zoomOut', icon: 'zoom-out', label: 'Zoom out', title: 'Zoom out (-)', priority: 4, group: 'zoom', run: () => command('zoomOut') },
  { id: 'zoomIn', icon: 'zoom-in', label: 'Zoom in', title: 'Zoom in (+)', priority: 4, group: 'zoom', run: () => command('zoomIn') },
  { id: 'oneToOne', icon: 'screen-normal', label: 'Actual size', title: 'Actual size, 1:1 (0)', priority: 3, run: () => command('oneToOne') },
  { id: 'fit', icon: 'screen-full', label: 'Fit', title: 'Fit the graph in the panel (F)', priority: 6, run: () => command('fit') },
  { id: 'stepper', icon: 'debug-step-over', label: 'Step through backward', title: 'Step through backward: watch each node pass its gradient back (→, ←, Space, Home)', priority: 5, toggle: true, run: () => { if (stepperOpen()) closeStepper(); else openStepper(); renderLayout(); } },
  { id: 'details', icon: 'layout-sidebar-right', label: 'Details', title: 'Show or hide the details pane', priority: 8, toggle: true, run: () => toggleDetails() },
  { id: 'export', icon: 'export', label: 'Export…', title: 'Export the picture: copy or save it as SVG, PNG or mermaid text', priority: 5, run: () => exportMenu.toggle() },
], { zoomIn: page.zoomLabel });

/** The Export action's menu (`exportMenu.ts`), under its button or under "More actions". */
const exportMenu = createExportMenu(toolbar.element, () => Array.from(toolbar.element.querySelectorAll<HTMLElement>('[data-action="export"], button.more')));

page.logsLink.addEventListener('click', () => post({ type: 'showLogs' }));

/** The loss curve and step slider, when the snippet trained (`trainingView.ts`). */
export const trainingStrip = createTrainingStrip(selectStep);

export function renderDetails(): void {
  const { current, details } = state;
  if (current === undefined) { page.details.replaceChildren(); return; }
  if (state.selected === undefined || details === undefined || details.id !== state.selected) {
    page.details.replaceChildren(summaryPane(current.summary, current.settings.digits, detailsActions, state.check?.key === current.key ? state.check.status : undefined));
    return;
  }
  page.details.replaceChildren(detailsPane(details, new Set(current.picture.open), current.choices.cone === details.id, detailsActions));
}

export function renderLayout(): void {
  page.app.classList.toggle('details-open', state.detailsOpen && state.current !== undefined);
  renderToolbar();
}

/** The toolbar's actions that apply to what is shown, and whether the details pane is open. */
function renderToolbar(): void {
  const applicable: string[] = [];
  const { current } = state;
  if (current !== undefined) {
    const { choices } = current;
    if (choices.cone !== undefined) applicable.push('allValues');
    if (choices.opened.length > 0 || choices.closed.length > 0 || (choices.reveal?.length ?? 0) > 0) applicable.push('reset');
    applicable.push('zoomOut', 'zoomIn', 'oneToOne', 'fit', 'stepper', 'details');
    if (state.renderError === undefined) applicable.push('export');
  }
  if (!applicable.includes('export')) exportMenu.close();
  toolbar.update(applicable, new Set([...(state.detailsOpen ? ['details'] : []), ...(stepperOpen() ? ['stepper'] : [])]));
}

export function renderStatus(): void {
  const { current } = state;
  const { title, status, logsLink } = page;
  page.busy.classList.toggle('shown', state.evaluating);
  page.placeholder.hidden = current !== undefined || state.errorMessage !== undefined;
  page.viewport.classList.toggle('empty', current === undefined);
  if (current === undefined) {
    title.textContent = '';
    status.textContent = '';
    logsLink.hidden = true;
    renderToolbar();
    return;
  }
  const { summary, picture } = current;
  title.textContent = `∂${summary.outputLabel}`;
  title.title = `The gradient of ${summary.outputLabel} with respect to every value`;
  const parts = [`${summary.counts.nodes.toLocaleString('en-US')} nodes`];
  if (picture.boxCount < summary.counts.nodes) parts.push(`${picture.boxCount} boxes`);
  if (current.choices.cone !== undefined) parts.push('what feeds the selection');
  if (state.lastDraw !== undefined) parts.push(`drawn in ${state.lastDraw.milliseconds} ms`);
  status.textContent = parts.join(' · ');
  status.title = status.textContent;
  logsLink.hidden = summary.logs.length === 0;
  logsLink.textContent = `${summary.logs.length} log ${summary.logs.length === 1 ? 'line' : 'lines'}`;
  renderToolbar();
}

/** The search bar (Ctrl+F), drawn again after a search or a move between its results. */
export function renderFind(): void {
  renderFindBar();
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
        state.current === undefined ? undefined : element('div', { className: 'error-note', text: 'The graph below is from the last evaluation that worked.' }),
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
  trainingStrip.render();
  renderFind();
  renderStatus();
  renderBanners();
  renderDetails();
}
