/**
 * Drawing with mermaid, the only module that knows mermaid's API and the SVG it makes: loads mermaid on the
 * first draw, renders the graph's mermaid text at 1:1, drops a draw made stale by a newer one, and ties the
 * SVG's elements back to the graph (focus, accessible names, record labels) through `graph/labels.ts`.
 *
 * Mermaid's SVG is inserted as it is: securityLevel is strict, and `toMermaid` escapes every label.
 */
import type { Mermaid } from 'mermaid';
import { labelText, mermaidIdOf, parseEdgeId, type LabelPart } from '../graph/labels.ts';
import type { DrawnBox } from '../graph/plan.ts';
import type { DrawnPicture } from '../shared/messages.ts';
import { SETTINGS } from '../shared/settings.ts';
import { renderBanners, renderStatus } from './chrome.ts';
import { element } from './dom.ts';
import { post } from './host.ts';
import { applyMarks } from './marks.ts';
import { page } from './page.ts';
import { state } from './state.ts';
import { themeFor, type MermaidTheme } from './theme.ts';
import { initialView, type Size, type View } from './viewport.ts';
import { applyView, contentRectOf, ensureVisible, viewportSize } from './viewportView.ts';

/** From this many boxes on, a draw takes long enough (about 0.3 s) to say so. */
const SLOW_DRAW_BOXES = 30;
/** Mermaid's padding around a label, in pixels (the CSS draws the record dividers across it). */
const LABEL_PADDING = 8;

/**
 * Mermaid is most of the page's code, in chunks of its own (`media/webview/chunks/`): it is imported once
 * the page has said `ready`, or when the host says it is evaluating, so that the first draw finds it
 * loaded. Mermaid imports a diagram's parser and layout only when it first draws one, so a tiny flowchart
 * is drawn here too: the graph's draw then finds that code loaded and compiled as well.
 */
export function loadMermaid(): Promise<Mermaid> {
  state.mermaidLoaded ??= import('mermaid').then(async ({ default: mermaid }) => {
    initializeMermaid(mermaid, themeFor(Array.from(document.body.classList)));
    // A first render is slow (mermaid's own lazy loading, the JIT): pay it on a tiny flowchart while the
    // host evaluates, unless the picture is here already (a new window: the panel loads after the
    // evaluation), which would then wait for it.
    if (state.current === undefined) {
      const warmUp = 'gradient-graph-warm-up';
      await mermaid.render(warmUp, 'flowchart LR\n  a --> b').catch(() => undefined);
      // Mermaid may leave its scratch elements behind.
      document.getElementById(warmUp)?.remove();
      document.getElementById(`d${warmUp}`)?.remove();
    }
    return mermaid;
  });
  return state.mermaidLoaded;
}

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || getComputedStyle(document.body).getPropertyValue(name).trim();
}

function initializeMermaid(mermaid: Mermaid, theme: MermaidTheme): void {
  if (state.mermaidTheme === theme) return;
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
  state.mermaidTheme = theme;
}

/** Whether VS Code's theme now asks for another of mermaid's themes than the one the graph was drawn in. */
export function themeChanged(): boolean {
  return themeFor(Array.from(document.body.classList)) !== state.mermaidTheme;
}

/** Draws the current graph; only the newest of the draws asked for runs. */
export function draw(started = performance.now()): void {
  const sequence = ++state.drawSequence;
  state.drawQueue = state.drawQueue.then(() => (sequence === state.drawSequence ? render(sequence, started) : undefined)).catch((error: unknown) => console.error(error));
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

function forgetDrawn(): void {
  state.drawn.elements.clear();
  state.drawn.edges = [];
}

/** Where a picture opens: whole if readable so, else on its output (`viewport.ts`'s `initialView`). */
function firstView(): View {
  return initialView(state.content!, viewportSize(), contentRectOf(state.drawn.elements.get(state.current!.picture.outputBox)));
}

/**
 * The panel was resized: a view nobody has moved since the graph opened is worked out again for the new
 * size (a narrower panel would otherwise cut the output off); a view the user chose stays as it is.
 */
export function panelResized(): void {
  if (state.view === undefined || state.view !== state.firstView || state.content === undefined || state.current === undefined) return;
  state.view = state.firstView = firstView();
  applyView();
}

async function render(sequence: number, started: number): Promise<void> {
  const message = state.current;
  if (message === undefined) return;
  const { picture } = message;
  const { canvas, drawing } = page;
  const renderId = `gradient-graph-${sequence}`;
  let svg: string;
  const boxes = picture.boxCount;
  try {
    // The host plans within the budget; a bigger picture (a broken message) would freeze the page in mermaid.
    if (!(boxes <= SETTINGS.maxBoxes.maximum)) throw new Error(`${boxes} boxes are more than a picture draws (at most ${SETTINGS.maxBoxes.maximum})`);
    drawing.textContent = `Drawing ${boxes} ${boxes === 1 ? 'box' : 'boxes'}…`;
    // Mermaid lays out without yielding, so a "drawing" note set later would never paint: show it first
    // for pictures that take a while. The wait also lets any message that is already queued arrive, and
    // this draw is skipped if one made it stale.
    if (boxes > SLOW_DRAW_BOXES) {
      drawing.classList.add('shown');
      await nextFrame();
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    const mermaid = await loadMermaid();
    if (sequence !== state.drawSequence) return;
    initializeMermaid(mermaid, themeFor(Array.from(document.body.classList)));
    ({ svg } = await mermaid.render(renderId, picture.mermaid));
  } catch (error) {
    // Mermaid may leave its scratch element behind when it fails.
    document.getElementById(renderId)?.remove();
    document.getElementById(`d${renderId}`)?.remove();
    if (sequence !== state.drawSequence) return;
    drawing.classList.remove('shown');
    // What was drawn before belongs to another picture: say why there is nothing instead.
    canvas.replaceChildren();
    forgetDrawn();
    state.renderError = error instanceof Error ? error.message : String(error);
    renderBanners();
    post({ type: 'renderError', id: message.id, message: state.renderError });
    return;
  }
  if (sequence !== state.drawSequence) return;
  drawing.classList.remove('shown');
  state.renderError = undefined;
  canvas.innerHTML = svg;
  const drawnSvg = canvas.querySelector('svg');
  if (drawnSvg === null) return;
  state.content = fixSize(drawnSvg);
  decorate(drawnSvg);
  if (state.view === undefined) state.view = state.firstView = firstView();
  applyView();
  revealAsked(message.picture);
  applyMarks();
  renderBanners();
  renderStatus();
  await nextFrame();
  await nextFrame();
  if (sequence !== state.drawSequence) return;
  const milliseconds = Math.round(performance.now() - started);
  state.lastDraw = { boxes, milliseconds };
  renderStatus();
  post({ type: 'rendered', id: message.id, values: boxes, milliseconds });
}

/** Brings into view what the user asked this picture for: the name of the frame they opened, or the value found. */
function revealAsked(picture: DrawnPicture): void {
  const asked = state.revealAfterDraw;
  if (asked === undefined) return;
  state.revealAfterDraw = undefined;
  const frame = asked.group === undefined ? undefined : picture.frames.find((item) => item.group === asked.group);
  const target = frame !== undefined ? state.drawn.elements.get(frame.id)?.querySelector('.cluster-label') ?? state.drawn.elements.get(frame.id)
    : asked.node !== undefined ? state.drawn.elements.get(`v${asked.node}`) : undefined;
  if (target !== undefined) ensureVisible(target);
}

/** The SVG at its natural size (mermaid gives it a viewBox and, with useMaxWidth off, a width). */
function fixSize(svg: SVGSVGElement): Size {
  const box = svg.viewBox.baseVal;
  const width = box !== null && box.width > 0 ? box.width : svg.getBBox().width;
  const height = box !== null && box.height > 0 ? box.height : svg.getBBox().height;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.style.maxWidth = 'none';
  page.canvas.style.width = `${width}px`;
  page.canvas.style.height = `${height}px`;
  return { width, height };
}

/** Ties the SVG's elements to the picture's boxes and frames: keyboard focus, accessible names, record labels. */
function decorate(svg: SVGSVGElement): void {
  const { drawn } = state;
  forgetDrawn();
  for (const path of Array.from(svg.querySelectorAll('path.flowchart-link'))) {
    const ends = parseEdgeId(path.getAttribute('data-id') ?? '');
    if (ends !== undefined) drawn.edges.push({ element: path, ...ends });
  }
  for (const node of Array.from(svg.querySelectorAll('g.node'))) {
    const id = mermaidIdOf(node.id);
    const box = id === undefined ? undefined : state.boxes.get(id);
    if (box === undefined) continue;
    drawn.elements.set(box.id, node);
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    node.setAttribute('aria-label', box.ariaLabel);
    if (box.kind !== 'operation') recordLabel(node, box);
  }
  const frames = new Map(state.current!.picture.frames.map((frame) => [frame.id, frame]));
  for (const cluster of Array.from(svg.querySelectorAll('g.cluster'))) {
    // Mermaid names a subgraph's element by its id, with the diagram's id before it in some versions.
    const frame = frames.get(/(?:^|-)([a-z]\d+)$/.exec(cluster.id)?.[1] ?? '');
    if (frame === undefined) continue;
    drawn.elements.set(frame.id, cluster);
    const label = cluster.querySelector('.cluster-label');
    label?.setAttribute('tabindex', '0');
    label?.setAttribute('role', 'button');
    label?.setAttribute('aria-label', `${frame.label}: open; press Enter to close`);
    label?.setAttribute('data-frame', frame.id);
  }
}

/**
 * A box's label (`a | data 2.0 | grad 6.0`, a group's `neuron(…) | 7 values`, a tensor's rows) as styled
 * parts: the same characters, so mermaid's measured box still fits. The parts come from the plan the
 * mermaid text was written from, so the text found is the text expected; a label that differs is left as is.
 */
function recordLabel(node: Element, box: DrawnBox): void {
  const label = node.querySelector('.nodeLabel');
  const expected = box.lines.map(labelText).join('');
  if (label === null || label.textContent?.replace(/\s+/g, ' ').trim() !== expected.replace(/\s+/g, ' ').trim()) return;
  const target = label.querySelector('p') ?? label;
  const children: Node[] = [];
  box.lines.forEach((line, lineIndex) => {
    if (lineIndex > 0) children.push(document.createElement('br'));
    line.forEach((part: LabelPart, index) => {
      if (index > 0) children.push(element('span', { className: 'sep', text: ' | ' }));
      const span = element('span', { className: `part ${part.role}` });
      if (part.key !== '') span.append(element('span', { className: 'key', text: `${part.key} ` }));
      span.append(part.text);
      children.push(span);
    });
  });
  target.replaceChildren(...children);
}
