/**
 * The panel's page script: draws the graph the extension sends with mermaid, at 1:1 with pan and zoom,
 * and shows the details of the node the user clicks. The pure parts live beside it (viewport.ts,
 * details.ts, diagram.ts); this file is the DOM glue.
 *
 * The page runs under a strict CSP (scripts by nonce only): every element is built here, and every text
 * from a graph goes in through textContent. Mermaid's SVG is inserted as it is (securityLevel strict, and
 * `toMermaid` escapes every label).
 */
import type { Mermaid } from 'mermaid';
import { autoCollapse, collapseGroup, expandGroup, hiddenIn, visibleGraph } from '../graph/collapse.ts';
import { toMermaid } from '../graph/mermaid.ts';
import type { GraphModel } from '../graph/model.ts';
import { groupOf, inputsOf, nodeAt, valueCount, type Consumers } from '../graph/reader.ts';
import { consumersOf, nodeDetails, nodeName } from './details.ts';
import { detailsPane, summaryPane, type DetailsActions } from './detailsView.ts';
import { decodeGraph, encodeGraph } from '../graph/codec.ts';
import { themeFor, type MermaidTheme } from './theme.ts';
import { groupLabelParts, isSelectedEdge, labelParts, labelText, parseDomId, parseEdgeId, type DiagramRef, type LabelPart } from '../graph/labels.ts';
import { element } from './dom.ts';
import { legend } from './legend.ts';
import type { EvaluationOrigin, HostMessage, WebviewMessage, WebviewState } from '../shared/messages.ts';
import { createToolbar } from './toolbar.ts';
import { centreOn, fitView, initialView, isVisible, keyCommand, wheelFactor, zoomAround, zoomPercent, zoomTo, ZOOM_STEP, type Size, type View } from './viewport.ts';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** A graph message as the panel holds it: its numbers decoded (`codec.ts`). */
type GraphMessage = Omit<Extract<HostMessage, { type: 'graph' }>, 'graph'> & { readonly graph: GraphModel };
type ErrorMessage = Extract<HostMessage, { type: 'error' }>;
/** The contract's state, and whether the details pane and the legend are open (the panel's own business). */
interface PanelState extends WebviewState {
  readonly detailsOpen?: boolean;
  readonly legendOpen?: boolean;
}

/** Graphs up to this many nodes are saved whole in the panel's state. */
const SAVED_GRAPH_NODES = 5000;
/** Above this many values, "Expand all" is not offered: mermaid needs about 10 s for 1,000. */
const EXPAND_ALL_LIMIT = 1000;
/** From this many boxes on, a draw takes long enough (about 0.3 s) to say so. */
const SLOW_DRAW_BOXES = 30;
/** The panel height from which the legend starts open. */
const LEGEND_OPEN_HEIGHT = 600;
/** Mermaid's padding around a label, in pixels (the CSS draws the record dividers across it). */
const LABEL_PADDING = 8;

const vscode = acquireVsCodeApi();

// ---------------------------------------------------------------------------------------------- state

let graphMessage: GraphMessage | undefined;
/** After a reload, the saved state of a graph too large to have been saved, until the host sends it again. */
let pendingRestore: PanelState | undefined;
let consumers: Consumers = () => [];
let collapsed = new Set<number>();
let selected: number | undefined;
/** The view of the drawn graph; undefined until a new graph is drawn and placed. */
let view: View | undefined;
let errorMessage: ErrorMessage | undefined;
let renderError: string | undefined;
let stale = false;
let evaluating = false;
let highlighted: readonly number[] = [];
/** The details pane opens when a node is selected, or with its toolbar button. */
let detailsOpen = false;
/** The legend starts open in a tall panel, where it hides little of the graph, and then as the user left it. */
let legendOpen = window.innerHeight >= LEGEND_OPEN_HEIGHT;
/** The diagram's size at 1:1, once drawn. */
let content: Size | undefined;
let lastDraw: { boxes: number; milliseconds: number } | undefined;
const drawn = { values: new Map<number, Element>(), operations: new Map<number, Element>(), groups: new Map<number, Element>(), edges: [] as Array<{ element: Element; from: string; to: string }> };

// ---------------------------------------------------------------------------------------------- page

const app = document.getElementById('app') ?? document.body.appendChild(element('div', { attributes: { id: 'app' } }));
const title = element('span', { className: 'title' });
const status = element('span', { className: 'status' });
const busy = element('span', { className: 'busy', text: 'evaluating…', attributes: { role: 'status' } });
const zoomLabel = element('span', { className: 'zoom-label', text: '100%', title: 'Zoom' });
const logsLink = element('button', { className: 'link logs-link', title: 'Show what the snippet printed, in the Output panel', attributes: { type: 'button' } });
logsLink.addEventListener('click', () => vscode.postMessage({ type: 'showLogs' }));
const toolbar = createToolbar([title, status, logsLink, busy], [
  { id: 'expandAll', icon: 'expand-all', label: 'Expand all', title: "Expand all: draw every group's inside", priority: 2, run: () => setCollapsed(new Set()) },
  { id: 'collapseAll', icon: 'collapse-all', label: 'Collapse all', title: 'Collapse all: each outermost call and loop iteration as one box', priority: 2, run: () => graphMessage && setCollapsed(autoCollapse(graphMessage.graph, 0)) },
  { id: 'zoomOut', icon: 'zoom-out', label: 'Zoom out', title: 'Zoom out (-)', priority: 4, group: 'zoom', run: () => command('zoomOut') },
  { id: 'zoomIn', icon: 'zoom-in', label: 'Zoom in', title: 'Zoom in (+)', priority: 4, group: 'zoom', run: () => command('zoomIn') },
  { id: 'oneToOne', icon: 'screen-normal', label: 'Actual size', title: 'Actual size, 1:1 (0)', priority: 3, run: () => command('oneToOne') },
  { id: 'fit', icon: 'screen-full', label: 'Fit', title: 'Fit the graph in the panel (F)', priority: 6, run: () => command('fit') },
  { id: 'details', icon: 'layout-sidebar-right', label: 'Details', title: 'Show or hide the details pane', priority: 8, toggle: true, run: () => { detailsOpen = !detailsOpen; renderLayout(); persist(); } },
], { zoomIn: zoomLabel });
const banners = element('div', { className: 'banners' });
const canvas = element('div', { className: 'canvas' });
const placeholder = element('div', { className: 'placeholder', text: 'Select some numeric TypeScript and run “Show Gradient Graph”.' });
const drawing = element('div', { className: 'drawing', attributes: { role: 'status' } });
const viewport = element('div', { className: 'viewport', attributes: { tabindex: '0', role: 'application', 'aria-label': 'Computational graph: drag to pan, wheel to zoom, Tab to the boxes' } }, [canvas, placeholder, drawing]);
const details = element('aside', { className: 'details', attributes: { 'aria-label': 'Details' } });
app.append(toolbar.element, banners, element('div', { className: 'main' }, [viewport, details]));

// ---------------------------------------------------------------------------------------------- persistence

let persistTimer: ReturnType<typeof setTimeout> | undefined;

function persist(): void {
  if (persistTimer !== undefined) clearTimeout(persistTimer);
  persistTimer = undefined;
  const state: PanelState = {
    // A small graph is kept whole (a reload redraws it at once); a large one only by its origin, which the
    // host evaluates again after a reload: saving it would serialise megabytes at every pan and zoom.
    graph: graphMessage && graphMessage.graph.nodeCount <= SAVED_GRAPH_NODES ? { ...graphMessage, graph: encodeGraph(graphMessage.graph) } : undefined,
    origin: graphMessage?.origin ?? pendingRestore?.origin,
    error: errorMessage,
    collapsed: [...collapsed],
    selected,
    zoom: view?.zoom,
    panX: view?.panX,
    panY: view?.panY,
    detailsOpen,
    legendOpen,
  };
  vscode.setState(state);
}

/** Pan and zoom change at every pointer move: keep them at most four times a second. */
function persistSoon(): void {
  persistTimer ??= setTimeout(persist, 250);
}

// ---------------------------------------------------------------------------------------------- mermaid

let mermaidTheme: MermaidTheme | undefined;
let mermaidLoaded: Promise<Mermaid> | undefined;

/**
 * Mermaid is most of the script: it is evaluated on the first draw, not at load, so that the page says
 * `ready` (and the host sends the graph) while nothing else competes for the thread.
 */
function loadMermaid(): Promise<Mermaid> {
  mermaidLoaded ??= import('mermaid').then((module) => module.default);
  return mermaidLoaded;
}

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
}

function initializeMermaid(mermaid: Mermaid, theme: MermaidTheme): void {
  if (mermaidTheme === theme) return;
  const fontFamily = cssVariable('--vscode-editor-font-family') || 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme,
    // Mermaid's limits would show as a broken or placeholder diagram: the panel collapses big graphs instead.
    maxTextSize: 10_000_000,
    maxEdges: 1_000_000,
    htmlLabels: true,
    fontFamily,
    themeVariables: { fontFamily, fontSize: '13px' },
    flowchart: { useMaxWidth: false, wrappingWidth: 100_000, nodeSpacing: 24, rankSpacing: 36, padding: LABEL_PADDING, curve: 'basis' },
    logLevel: 'fatal',
  });
  mermaidTheme = theme;
}

/** Only the newest draw runs: one that waited behind a slower one is dropped when a newer one was asked for. */
let drawSequence = 0;
let drawQueue: Promise<void> = Promise.resolve();

function draw(started = performance.now()): void {
  const sequence = ++drawSequence;
  drawQueue = drawQueue.then(() => (sequence === drawSequence ? render(sequence, started) : undefined)).catch((error: unknown) => console.error(error));
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

async function render(sequence: number, started: number): Promise<void> {
  const message = graphMessage;
  if (message === undefined) return;
  const { graph, settings } = message;
  const renderId = `gradient-graph-${sequence}`;
  let svg: string;
  let visible: ReturnType<typeof visibleGraph>;
  let boxes = 0;
  try {
    visible = visibleGraph(graph, collapsed, settings.showConstants);
    boxes = visible.nodes.length + visible.groups.length;
    const text = toMermaid(graph, { direction: settings.direction, digits: settings.digits, showConstants: settings.showConstants, collapsed });
    drawing.textContent = `Drawing ${boxes} ${boxes === 1 ? 'box' : 'boxes'}…`;
    // Mermaid lays out without yielding, so a "drawing" note set later would never paint: show it first
    // for graphs that take a while. The wait also lets any message that is already queued arrive, and
    // this draw is skipped if one made it stale.
    if (boxes > SLOW_DRAW_BOXES) {
      drawing.classList.add('shown');
      await nextFrame();
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    const mermaid = await loadMermaid();
    if (sequence !== drawSequence) return;
    initializeMermaid(mermaid, themeFor(Array.from(document.body.classList)));
    ({ svg } = await mermaid.render(renderId, text));
  } catch (error) {
    // Mermaid may leave its scratch element behind when it fails.
    document.getElementById(renderId)?.remove();
    document.getElementById(`d${renderId}`)?.remove();
    if (sequence !== drawSequence) return;
    drawing.classList.remove('shown');
    // What was drawn before belongs to another graph or grouping: say why there is nothing instead.
    canvas.replaceChildren();
    drawn.values.clear();
    drawn.operations.clear();
    drawn.groups.clear();
    drawn.edges = [];
    renderError = error instanceof Error ? error.message : String(error);
    renderBanners();
    vscode.postMessage({ type: 'renderError', id: message.id, message: renderError });
    return;
  }
  if (sequence !== drawSequence) return;
  drawing.classList.remove('shown');
  renderError = undefined;
  canvas.innerHTML = svg;
  const drawnSvg = canvas.querySelector('svg');
  if (drawnSvg === null) return;
  content = fixSize(drawnSvg);
  decorate(drawnSvg, graph, settings.digits, new Map(visible.groups.map((group) => [group.id, group.nodeCount])));
  view ??= initialView(content, viewportSize(), contentRectOf(elementsOf(graph.output)[0]));
  applyView();
  applyMarks();
  renderBanners();
  renderStatus();
  await nextFrame();
  await nextFrame();
  if (sequence !== drawSequence) return;
  const milliseconds = Math.round(performance.now() - started);
  lastDraw = { boxes, milliseconds };
  renderStatus();
  vscode.postMessage({ type: 'rendered', id: message.id, values: boxes, milliseconds });
}

/** The SVG at its natural size (mermaid gives it a viewBox and, with useMaxWidth off, a width). */
function fixSize(svg: SVGSVGElement): Size {
  const box = svg.viewBox.baseVal;
  const width = box !== null && box.width > 0 ? box.width : svg.getBBox().width;
  const height = box !== null && box.height > 0 ? box.height : svg.getBBox().height;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.style.maxWidth = 'none';
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  return { width, height };
}

/** Ties the SVG's node elements to the graph: keyboard focus, accessible names, and the record labels. */
function decorate(svg: SVGSVGElement, graph: GraphModel, digits: number, groupSizes: ReadonlyMap<number, number>): void {
  drawn.values.clear();
  drawn.operations.clear();
  drawn.groups.clear();
  drawn.edges = [];
  for (const path of Array.from(svg.querySelectorAll('path.flowchart-link'))) {
    const ends = parseEdgeId(path.getAttribute('data-id') ?? '');
    if (ends !== undefined) drawn.edges.push({ element: path, ...ends });
  }
  for (const node of Array.from(svg.querySelectorAll('g.node'))) {
    const ref = parseDomId(node.id);
    if (ref === undefined) continue;
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    if (ref.kind === 'group') {
      drawn.groups.set(ref.id, node);
      const label = graph.groups[ref.id]?.label ?? 'group';
      node.setAttribute('aria-label', `${label}: ${groupSizes.get(ref.id) ?? 0} nodes, collapsed; press Enter to expand`);
      recordLabel(node, groupLabelParts(label, groupSizes.get(ref.id) ?? 0));
      continue;
    }
    if (ref.id < 0 || ref.id >= graph.nodeCount) continue;
    const model = nodeAt(graph, ref.id);
    if (ref.kind === 'operation') {
      drawn.operations.set(ref.id, node);
      node.setAttribute('aria-label', `operation ${model.op ?? ''} of ${nodeName(model)}`);
      continue;
    }
    drawn.values.set(ref.id, node);
    const parts = labelParts(model, digits);
    node.setAttribute('aria-label', labelText(parts));
    recordLabel(node, parts);
  }
}

/** `a | data 2.0 | grad 6.0` (or a group's `neuron(…) | 7 nodes | click to expand`) as styled parts (the same characters, so mermaid's measured box still fits). */
function recordLabel(node: Element, parts: readonly LabelPart[]): void {
  const label = node.querySelector('.nodeLabel');
  if (label === null || label.textContent?.trim() !== labelText(parts)) return;
  const target = label.querySelector('p') ?? label;
  const children: Node[] = [];
  parts.forEach((part, index) => {
    if (index > 0) children.push(element('span', { className: 'sep', text: ' | ' }));
    const span = element('span', { className: `part ${part.role}` });
    if (part.key !== '') span.append(element('span', { className: 'key', text: `${part.key} ` }));
    span.append(part.text);
    children.push(span);
  });
  target.replaceChildren(...children);
}

// ---------------------------------------------------------------------------------------------- view

function viewportSize(): Size {
  return { width: viewport.clientWidth, height: viewport.clientHeight };
}

function applyView(smooth = false): void {
  if (view === undefined) return;
  canvas.classList.toggle('smooth', smooth);
  canvas.style.transform = `translate(${view.panX}px, ${view.panY}px) scale(${view.zoom})`;
  zoomLabel.textContent = zoomPercent(view.zoom);
  persistSoon();
}

function command(name: ReturnType<typeof keyCommand>): void {
  if (view === undefined || content === undefined || name === undefined) return;
  const size = viewportSize();
  if (name === 'fit') view = fitView(content, size);
  else if (name === 'oneToOne') view = zoomTo(view, 1, size);
  else view = zoomAround(view, name === 'zoomIn' ? ZOOM_STEP : 1 / ZOOM_STEP, size.width / 2, size.height / 2);
  applyView(true);
}

/** An element's rectangle in content coordinates (the diagram at 1:1), from where it is drawn now. */
function contentRectOf(target: Element | undefined): { x: number; y: number; width: number; height: number } | undefined {
  const svg = canvas.querySelector('svg');
  if (target === undefined || svg === null || content === undefined) return undefined;
  const box = target.getBoundingClientRect();
  const origin = svg.getBoundingClientRect();
  const scale = content.width > 0 && origin.width > 0 ? origin.width / content.width : 1;
  return { x: (box.left - origin.left) / scale, y: (box.top - origin.top) / scale, width: box.width / scale, height: box.height / scale };
}

/**
 * Pans so that an element is in view, if it is not. The element is measured in content coordinates and
 * compared with the view the panel is going to (not where an animation of it is now), so that a pan
 * still in flight never leaves the element off-screen.
 */
function ensureVisible(target: Element): void {
  const rect = contentRectOf(target);
  if (view === undefined || rect === undefined) return;
  const size = viewportSize();
  if (isVisible(rect, view, size)) return;
  view = centreOn(rect, view, size);
  applyView(true);
}

// ---------------------------------------------------------------------------------------------- marks and selection

const MARKS = ['selected', 'related', 'highlighted', 'selected-edge'] as const;

/** The elements that show a node: its box and operation circle, or the collapsed group that hides it. */
function elementsOf(id: number): Element[] {
  if (graphMessage === undefined) return [];
  const { graph } = graphMessage;
  if (!(id >= 0 && id < graph.nodeCount)) return [];
  const hidden = hiddenIn(graph, groupOf(graph, id), collapsed);
  if (hidden !== undefined) return [drawn.groups.get(hidden)].filter((found) => found !== undefined);
  return [drawn.values.get(id), drawn.operations.get(id)].filter((found) => found !== undefined);
}

function applyMarks(): void {
  for (const mark of MARKS) for (const marked of Array.from(canvas.querySelectorAll(`.${mark}`))) marked.classList.remove(mark);
  if (graphMessage === undefined) return;
  if (selected !== undefined) {
    for (const related of [...inputsOf(graphMessage.graph, selected), ...consumers(selected)]) for (const found of elementsOf(related)) found.classList.add('related');
    for (const found of elementsOf(selected)) { found.classList.remove('related'); found.classList.add('selected'); }
    const id = selected;
    for (const edge of drawn.edges) if (isSelectedEdge(edge, id)) edge.element.classList.add('selected-edge');
  }
  for (const id of highlighted) for (const found of elementsOf(id)) found.classList.add('highlighted');
}

function select(id: number | undefined, reveal: boolean): void {
  if (graphMessage === undefined) return;
  selected = id !== undefined && id >= 0 && id < graphMessage.graph.nodeCount ? id : undefined;
  applyMarks();
  renderDetails();
  persist();
  if (selected === undefined) return;
  if (!detailsOpen) { detailsOpen = true; renderLayout(); }
  const shown = elementsOf(selected)[0];
  if (shown !== undefined) ensureVisible(shown);
  if (reveal) vscode.postMessage({ type: 'reveal', node: selected });
}

function setCollapsed(next: Set<number>): void {
  collapsed = next;
  persist();
  renderDetails();
  draw();
}

function activate(ref: DiagramRef): void {
  if (graphMessage === undefined) return;
  if (ref.kind === 'group') setCollapsed(expandGroup(graphMessage.graph, collapsed, ref.id, graphMessage.settings.collapseAbove));
  else select(ref.id, true);
}

function refOf(target: EventTarget | null): DiagramRef | undefined {
  const node = target instanceof Element ? target.closest('g.node') : null;
  return node === null ? undefined : parseDomId(node.id);
}

const actions: DetailsActions = {
  select: (id) => select(id, true),
  clear: () => select(undefined, false),
  expand: (group) => graphMessage && setCollapsed(expandGroup(graphMessage.graph, collapsed, group, graphMessage.settings.collapseAbove)),
  collapse: (group) => graphMessage && setCollapsed(collapseGroup(graphMessage.graph, collapsed, group)),
};

// ---------------------------------------------------------------------------------------------- rendering the chrome

function renderDetails(): void {
  if (graphMessage === undefined) { details.replaceChildren(); return; }
  const { graph, settings, source } = graphMessage;
  const shown = selected === undefined ? undefined : nodeDetails(graph, selected, { digits: settings.digits, source, consumers });
  if (shown === undefined) { details.replaceChildren(summaryPane(graph, settings.digits, actions)); return; }
  details.replaceChildren(detailsPane(shown, collapsed, actions));
}

function renderLayout(): void {
  app.classList.toggle('details-open', detailsOpen && graphMessage !== undefined);
  renderToolbar();
}

/** The toolbar's actions that apply to what is shown, and whether the details pane is open. */
function renderToolbar(): void {
  const applicable: string[] = [];
  if (graphMessage !== undefined) {
    const { graph } = graphMessage;
    if (collapsed.size > 0 && valueCount(graph) <= EXPAND_ALL_LIMIT) applicable.push('expandAll');
    if (graph.groups.length > 0 && ![...autoCollapse(graph, 0)].every((group) => collapsed.has(group))) applicable.push('collapseAll');
    applicable.push('zoomOut', 'zoomIn', 'oneToOne', 'fit', 'details');
  }
  toolbar.update(applicable, new Set(detailsOpen ? ['details'] : []));
}

function renderStatus(): void {
  busy.classList.toggle('shown', evaluating);
  placeholder.hidden = graphMessage !== undefined || errorMessage !== undefined;
  viewport.classList.toggle('empty', graphMessage === undefined);
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
  if (collapsed.size > 0) parts.push(`${collapsed.size} collapsed`);
  if (lastDraw !== undefined) parts.push(`drawn in ${lastDraw.milliseconds} ms`);
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

function renderBanners(): void {
  const shown: HTMLElement[] = [];
  if (stale) {
    shown.push(element('div', { className: 'banner stale', attributes: { role: 'status' } }, [
      element('span', { className: 'banner-icon', text: '⟳', attributes: { 'aria-hidden': 'true' } }),
      element('span', { text: 'The document changed since this graph was made: run Show Gradient Graph again' }),
    ]));
  }
  if (errorMessage !== undefined) {
    const { error, fileName } = errorMessage;
    const file = fileName.split(/[\\/]/).pop() ?? fileName;
    shown.push(element('div', { className: 'banner error', attributes: { role: 'alert' } }, [
      element('span', { className: 'banner-icon', text: '✕', attributes: { 'aria-hidden': 'true' } }),
      element('div', { className: 'banner-body' }, [
        element('div', { className: 'error-message', text: error.message }),
        element('div', { className: 'error-actions' }, [
          linkButton('error-location', `${file}:${error.line}:${error.column}`, `Select it in ${fileName}`, () => vscode.postMessage({ type: 'revealError' })),
          error.setting === undefined ? undefined : linkButton('error-setting', 'Open the setting', `Open ${settingKeyOf(error.setting)} in the Settings editor`,
            () => vscode.postMessage({ type: 'openSetting', key: settingKeyOf(error.setting!) })),
        ]),
        graphMessage === undefined ? undefined : element('div', { className: 'error-note', text: 'The graph below is from the last evaluation that worked.' }),
      ]),
    ]));
  }
  if (renderError !== undefined) {
    shown.push(element('div', { className: 'banner error', attributes: { role: 'alert' } }, [
      element('span', { className: 'banner-icon', text: '✕', attributes: { 'aria-hidden': 'true' } }),
      element('div', { className: 'banner-body' }, [element('div', { text: 'Could not draw this graph:' }), element('div', { className: 'error-message', text: renderError })]),
    ]));
  }
  banners.replaceChildren(...shown);
  canvas.classList.toggle('dimmed', errorMessage !== undefined);
}

function renderAll(): void {
  renderLayout();
  renderStatus();
  renderBanners();
  renderDetails();
}

// ---------------------------------------------------------------------------------------------- messages

/** The same evaluation drawn with the same settings (its key is unique to it, across reloads). */
function sameGraph(a: GraphMessage, b: GraphMessage): boolean {
  return a.key === b.key && JSON.stringify(a.settings) === JSON.stringify(b.settings);
}

const sameOrigin = (a: EvaluationOrigin | undefined, b: EvaluationOrigin | undefined) => a !== undefined && b !== undefined && a.uri === b.uri && a.start === b.start && a.end === b.end;

function showGraph(message: Extract<HostMessage, { type: 'graph' }>, restored?: PanelState): void {
  const started = performance.now();
  const fresh: GraphMessage = { ...message, graph: decodeGraph(message.graph) };
  const same = graphMessage !== undefined && restored === undefined && sameGraph(graphMessage, fresh);
  errorMessage = undefined;
  evaluating = false;
  if (same) {
    // The host answers `ready` with its current graph: after a reload that is the one restored already
    // (and perhaps being drawn), so the view, the selection and the groups stay as they are.
    renderAll();
    persist();
    return;
  }
  graphMessage = fresh;
  consumers = consumersOf(fresh.graph);
  collapsed = restored?.collapsed !== undefined ? new Set(restored.collapsed) : autoCollapse(fresh.graph, fresh.settings.collapseAbove);
  selected = restored?.selected;
  view = restored?.zoom !== undefined && restored.panX !== undefined && restored.panY !== undefined ? { zoom: restored.zoom, panX: restored.panX, panY: restored.panY } : undefined;
  highlighted = [];
  lastDraw = undefined;
  if (restored === undefined) stale = false;
  renderAll();
  persist();
  draw(started);
}

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'graph':
      if (pendingRestore !== undefined && sameOrigin(pendingRestore.origin, message.origin)) {
        // The graph asked for after a reload: drawn as the panel was left (groups, selection, view).
        const restored = pendingRestore;
        pendingRestore = undefined;
        showGraph(message, restored);
      } else {
        pendingRestore = undefined;
        showGraph(message);
      }
      break;
    case 'error':
      errorMessage = message;
      evaluating = false;
      renderStatus();
      renderBanners();
      persist();
      break;
    case 'evaluating':
      evaluating = true;
      renderStatus();
      break;
    case 'highlight': {
      highlighted = message.nodes;
      applyMarks();
      const first = highlighted.map((id) => elementsOf(id)[0]).find((found) => found !== undefined);
      if (first !== undefined) ensureVisible(first);
      break;
    }
    case 'stale':
      stale = message.stale;
      renderBanners();
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data as HostMessage | undefined;
  if (typeof message === 'object' && message !== null && typeof message.type === 'string') handle(message);
});

// ---------------------------------------------------------------------------------------------- input

let drag: { pointer: number; x: number; y: number; panX: number; panY: number; moved: boolean; target: EventTarget | null } | undefined;

viewport.addEventListener('pointerdown', (event) => {
  if (event.button !== 0 || view === undefined) return;
  if (event.target instanceof Element && event.target.closest('.legend') !== null) return;
  drag = { pointer: event.pointerId, x: event.clientX, y: event.clientY, panX: view.panX, panY: view.panY, moved: false, target: event.target };
});

viewport.addEventListener('pointermove', (event) => {
  if (drag === undefined || event.pointerId !== drag.pointer || view === undefined) return;
  const dx = event.clientX - drag.x;
  const dy = event.clientY - drag.y;
  if (!drag.moved) {
    if (Math.hypot(dx, dy) < 4) return;
    drag.moved = true;
    viewport.setPointerCapture(event.pointerId);
    viewport.classList.add('dragging');
  }
  view = { zoom: view.zoom, panX: drag.panX + dx, panY: drag.panY + dy };
  applyView();
});

function endDrag(event: PointerEvent, click: boolean): void {
  if (drag === undefined || event.pointerId !== drag.pointer) return;
  const ended = drag;
  drag = undefined;
  viewport.classList.remove('dragging');
  if (viewport.hasPointerCapture(event.pointerId)) viewport.releasePointerCapture(event.pointerId);
  if (!click || ended.moved) return;
  const ref = refOf(ended.target);
  if (ref !== undefined) activate(ref);
}

viewport.addEventListener('pointerup', (event) => endDrag(event, true));
viewport.addEventListener('pointercancel', (event) => endDrag(event, false));

// Focus on a box (Tab): the browser would scroll the viewport to show it, moving the legend away with it.
// The viewport never scrolls; the view pans to the box instead.
viewport.addEventListener('scroll', () => { viewport.scrollLeft = 0; viewport.scrollTop = 0; });
viewport.addEventListener('focusin', (event) => {
  if (event.target instanceof Element && event.target.matches('g.node')) ensureVisible(event.target);
});

viewport.addEventListener('wheel', (event) => {
  if (view === undefined) return;
  event.preventDefault();
  if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
    // Sideways scrolling (a trackpad's, or shift+wheel) pans.
    const scale = event.deltaMode === 1 ? 16 : 1;
    const dx = (event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX) * scale;
    view = { ...view, panX: view.panX - dx };
  } else {
    const port = viewport.getBoundingClientRect();
    view = zoomAround(view, wheelFactor(event.deltaY, event.deltaMode), event.clientX - port.left, event.clientY - port.top);
  }
  applyView();
}, { passive: false });

const PAN_STEP = 60;

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest('input, textarea, select')) return;
  if ((event.key === 'Enter' || event.key === ' ') && target?.matches('g.node') === true) {
    const ref = parseDomId(target.id);
    if (ref !== undefined) { event.preventDefault(); activate(ref); }
    return;
  }
  if (event.key === 'Escape' && selected !== undefined) { select(undefined, false); return; }
  const arrows: Partial<Record<string, [number, number]>> = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
  const arrow = arrows[event.key];
  if (arrow !== undefined && target === viewport && view !== undefined) {
    event.preventDefault();
    view = { ...view, panX: view.panX + arrow[0], panY: view.panY + arrow[1] };
    applyView(true);
    return;
  }
  if (target?.closest('button') && (event.key === 'Enter' || event.key === ' ')) return;
  const name = keyCommand(event.key);
  if (name !== undefined) { event.preventDefault(); command(name); }
});

// VS Code switches the body's class when the theme changes: colours follow through CSS variables, and the
// diagram is drawn again when mermaid's own theme (light or dark) changes.
new MutationObserver(() => {
  if (graphMessage !== undefined && themeFor(Array.from(document.body.classList)) !== mermaidTheme) draw();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// A hidden panel is destroyed: save a pending pan or zoom first.
document.addEventListener('visibilitychange', () => { if (persistTimer !== undefined) persist(); });

// ---------------------------------------------------------------------------------------------- start

const saved = vscode.getState() as PanelState | undefined;
if (saved !== undefined && saved !== null) {
  detailsOpen = saved.detailsOpen ?? false;
  legendOpen = saved.legendOpen ?? legendOpen;
  if (saved.graph !== undefined) showGraph(saved.graph, saved);
  else if (saved.origin !== undefined) pendingRestore = saved;
  if (saved.error !== undefined) errorMessage = saved.error;
}
viewport.append(legend(legendOpen, (open) => { legendOpen = open; persist(); }));
renderAll();
vscode.postMessage({ type: 'ready' });
if (pendingRestore?.origin !== undefined) vscode.postMessage({ type: 'restore', origin: pendingRestore.origin });
// While the host evaluates the selection, get mermaid ready.
setTimeout(() => void loadMermaid().catch(() => undefined), 0);
