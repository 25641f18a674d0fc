/**
 * The backward stepper on the drawn picture. The host plans the steps (`graph/stepper.ts`); this plays
 * them. Before the first step every gradient shows `?` but the output's 1. At each step the current box is
 * highlighted, its edges carry `× local → contribution`, and the gradients of the boxes it passes back to
 * grow, so a value used twice is seen receiving twice.
 *
 * Controls: Back, Step, Play/Pause and Reset, with the keys ←, →, Space and Home while the stepper is open.
 * Play waits `gradientGraph.stepperSpeed` ms per step. Under reduced motion nothing is animated; Play still
 * steps. Any new picture (another grouping, another evaluation) closes the stepper, whose steps were for
 * the old one.
 */
import type { BackwardScript } from '../graph/stepper.ts';
import { button, element } from './dom.ts';
import { nextRequest, post } from './host.ts';
import { state } from './state.ts';
import { ensureVisible } from './viewportView.ts';

const SVG = 'http://www.w3.org/2000/svg';

/** The stepper's own state: its script, how many steps are done, whether it plays, and the boxes' own texts to give back. */
interface Stepping {
  script?: BackwardScript;
  done: number;
  timer?: ReturnType<typeof setInterval>;
  /** Each box's grad text as drawn, to restore when the stepper closes. */
  readonly original: Map<string, string>;
}

let stepping: Stepping | undefined;

const status = element('span', { className: 'stepper-status', attributes: { 'aria-live': 'polite' } });
const back = button('← Back', 'One step back (←)', () => go(-1));
const forward = button('Step →', 'One step of backward (→)', () => go(1));
const play = button('Play', 'Play the steps (Space)', () => togglePlay());
const reset = button('Reset', 'Back to before the first step (Home)', () => goTo(0));
const close = button('Close', 'Close the stepper and show the gradients again', () => closeStepper(), 'button stepper-close');

/** The bar above the graph while the stepper is open. */
export const stepperBar = element('section', { className: 'stepper', attributes: { 'aria-label': 'Backward stepper', hidden: '' } }, [back, forward, play, reset, status, close]);

/** The grad text node of a box's label (after its `grad ` key), if the box shows one. */
function gradText(box: string): Text | undefined {
  const part = state.drawn.elements.get(box)?.querySelector('.part.grad');
  const text = part?.lastChild;
  return text instanceof Text ? text : undefined;
}

/** Whether the stepper is open. */
export const stepperOpen = (): boolean => stepping !== undefined;

/** Opens the stepper on the picture shown: asks the host for its steps. */
export function openStepper(): void {
  const { current } = state;
  if (current === undefined || stepping !== undefined) return;
  stepping = { done: 0, original: new Map() };
  post({ type: 'backward', request: nextRequest('backward'), key: current.key });
  stepperBar.hidden = false;
  status.textContent = 'Planning the steps…';
  render();
}

/** The host's steps for the picture shown. */
export function receiveScript(script: BackwardScript): void {
  if (stepping === undefined) return;
  stepping.script = script;
  for (const entry of script.initial) {
    const text = gradText(entry.box);
    if (text !== undefined) stepping.original.set(entry.box, text.data);
  }
  goTo(0);
}

/** Closes the stepper and gives every box its gradient back. */
export function closeStepper(): void {
  if (stepping === undefined) return;
  if (stepping.timer !== undefined) clearInterval(stepping.timer);
  for (const [box, text] of stepping.original) {
    const node = gradText(box);
    if (node !== undefined) node.data = text;
  }
  clearMarks();
  stepping = undefined;
  stepperBar.hidden = true;
}

/** Whether a key was the stepper's (it is open, and the key is one of its own). */
export function stepperKey(key: string): boolean {
  if (stepping?.script === undefined) return false;
  if (key === 'ArrowRight') go(1);
  else if (key === 'ArrowLeft') go(-1);
  else if (key === ' ') togglePlay();
  else if (key === 'Home') goTo(0);
  else return false;
  return true;
}

function go(by: number): void {
  if (stepping === undefined) return;
  goTo(stepping.done + by);
}

function togglePlay(): void {
  const script = stepping?.script;
  if (stepping === undefined || script === undefined) return;
  if (stepping.timer !== undefined) {
    clearInterval(stepping.timer);
    stepping.timer = undefined;
  } else {
    if (stepping.done >= script.steps.length) goTo(0);
    stepping.timer = setInterval(() => {
      if (stepping === undefined || stepping.script === undefined) return;
      if (stepping.done >= stepping.script.steps.length) togglePlay();
      else goTo(stepping.done + 1);
    }, state.current?.settings.stepperSpeed ?? 800);
  }
  render();
}

/** The shapes of a box (its rectangle or circle), which mermaid's classes colour with `!important`. */
const shapesOf = (box: Element) => Array.from(box.children).filter((child): child is SVGElement => child instanceof SVGElement && /^(rect|circle|polygon|path)$/.test(child.tagName));

function clearMarks(): void {
  for (const element of state.drawn.elements.values()) {
    if (!element.classList.contains('stepping')) continue;
    element.classList.remove('stepping');
    for (const shape of shapesOf(element)) { shape.style.removeProperty('stroke'); shape.style.removeProperty('stroke-width'); }
  }
  for (const edge of state.drawn.edges) edge.element.classList.remove('stepping-edge');
  for (const label of Array.from(document.querySelectorAll('.step-label'))) label.remove();
}

/** Shows the picture after `count` steps: the gradients known so far, the current step's box and edges. */
function goTo(count: number): void {
  const script = stepping?.script;
  if (stepping === undefined || script === undefined) return;
  stepping.done = Math.max(0, Math.min(script.steps.length, count));
  const grads = new Map(script.initial.map((entry) => [entry.box, entry.grad]));
  for (const step of script.steps.slice(0, stepping.done)) for (const entry of step.grads) grads.set(entry.box, entry.grad);
  for (const [box, grad] of grads) {
    const text = gradText(box);
    if (text !== undefined) text.data = grad;
  }
  clearMarks();
  const step = stepping.done > 0 ? script.steps[stepping.done - 1] : undefined;
  if (step !== undefined) {
    const highlight = getComputedStyle(document.body).getPropertyValue('--vscode-charts-orange').trim() || getComputedStyle(document.body).getPropertyValue('--vscode-focusBorder').trim();
    for (const box of step.boxes) {
      const drawn = state.drawn.elements.get(box);
      if (drawn === undefined) continue;
      drawn.classList.add('stepping');
      // An inline `!important` is the one thing above the classes' own colours.
      for (const shape of shapesOf(drawn)) { shape.style.setProperty('stroke', highlight, 'important'); shape.style.setProperty('stroke-width', '3px', 'important'); }
    }
    // Follow backward through the picture: the current box comes into view.
    const current = state.drawn.elements.get(step.boxes[0]);
    if (current !== undefined) ensureVisible(current);
    for (const edge of step.edges) {
      const drawn = state.drawn.edges.find((candidate) => candidate.from === edge.from && candidate.to === edge.to);
      if (drawn === undefined) continue;
      drawn.element.classList.add('stepping-edge');
      labelEdge(drawn.element, edge.label);
    }
  }
  render();
}

/** Writes `text` at the middle of an edge, on a plate so that it reads over the lines. */
function labelEdge(path: Element, text: string): void {
  const svg = path instanceof SVGPathElement ? path.ownerSVGElement : null;
  if (!(path instanceof SVGPathElement) || svg === null) return;
  // The middle of the edge in the drawing's own coordinates (the edge may sit in a moved frame), so that
  // the label goes on top of everything, boxes included.
  const local = path.getPointAtLength(path.getTotalLength() / 2);
  const toSvg = svg.getScreenCTM()?.inverse().multiply(path.getScreenCTM() ?? new DOMMatrix());
  const middle = toSvg === undefined ? local : new DOMPoint(local.x, local.y).matrixTransform(toSvg);
  const group = document.createElementNS(SVG, 'g');
  group.setAttribute('class', 'step-label');
  const plate = document.createElementNS(SVG, 'rect');
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', String(middle.x));
  label.setAttribute('y', String(middle.y));
  label.setAttribute('text-anchor', 'middle');
  label.setAttribute('dominant-baseline', 'central');
  label.textContent = text;
  group.append(plate, label);
  svg.appendChild(group);
  const box = label.getBBox();
  plate.setAttribute('x', String(box.x - 3));
  plate.setAttribute('y', String(box.y - 1));
  plate.setAttribute('width', String(box.width + 6));
  plate.setAttribute('height', String(box.height + 2));
  plate.setAttribute('rx', '3');
}

function render(): void {
  const script = stepping?.script;
  const playing = stepping?.timer !== undefined;
  play.textContent = playing ? 'Pause' : 'Play';
  play.setAttribute('aria-pressed', String(playing));
  const total = script?.steps.length ?? 0;
  const done = stepping?.done ?? 0;
  back.disabled = script === undefined || done === 0;
  reset.disabled = back.disabled;
  forward.disabled = script === undefined || done >= total;
  play.disabled = script === undefined || total === 0;
  if (script === undefined) return;
  const more = script.truncated ? ` (the first ${total})` : '';
  status.textContent = done === 0
    ? `Before backward: only the output's gradient (1) is known. ${total} steps${more}.`
    : `Step ${done} of ${total}${more}: ${script.steps[done - 1].text}.`;
  status.title = status.textContent;
}
