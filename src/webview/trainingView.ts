/**
 * The training strip above the graph, shown when the snippet called `backward()` itself: its loss per step
 * (plain SVG in the theme's colours, a log-scale toggle), a pointer that reads a point's step and loss,
 * and a step slider. Choosing a step (a click on the curve, the slider, its arrow keys) asks the host for
 * that step's graph: its loss as the output, its own gradients and its parameters as they were then.
 * "Whole run" goes back to the evaluation's own output.
 */
import { decodeNumber } from '../graph/codec.ts';
import { formatNumber } from '../graph/format.ts';
import type { TrainingView } from '../shared/messages.ts';
import { button, element } from './dom.ts';
import { state } from './state.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 84;
const PAD = 4;

const svgElement = <K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>): SVGElementTagNameMap[K] => {
  const created = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  return created;
};

/** What the strip asks of the panel: show a step's graph, or the whole run's (`undefined`). */
export type ChooseStep = (step: number | undefined) => void;

/** The strip's elements, built once; `render` fills them from the latest view message. */
export function createTrainingStrip(choose: ChooseStep) {
  const summary = element('span', { className: 'training-summary' });
  const reading = element('span', { className: 'training-reading', attributes: { 'aria-live': 'polite' } });
  const note = element('div', { className: 'training-note' });
  const line = svgElement('polyline', { class: 'training-line', fill: 'none' });
  const marker = svgElement('circle', { class: 'training-marker', r: '3.5' });
  const pointer = svgElement('line', { class: 'training-pointer', y1: '0', y2: String(HEIGHT) });
  const svg = svgElement('svg', { class: 'training-curve', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, preserveAspectRatio: 'none', role: 'img' });
  svg.append(line, pointer, marker);
  const slider = element('input', { className: 'training-slider', attributes: { type: 'range', min: '0', step: '1', 'aria-label': 'Training step' } });
  const logScale = button('log', 'Loss on a log scale', () => { state.trainingLogScale = logScale.getAttribute('aria-pressed') !== 'true'; render(); }, 'button training-log');
  const wholeRun = button('Whole run', 'Show the graph of the whole run again (its output), not of one step', () => choose(undefined), 'button training-whole');
  const root = element('section', { className: 'training', attributes: { 'aria-label': 'Training steps' } }, [
    element('div', { className: 'training-header' }, [summary, reading, logScale, wholeRun]),
    svg, slider, note,
  ]);

  /** The points as drawn: x and y in the SVG's units, with their step and loss. */
  let points: Array<{ x: number; y: number; step: number; loss: number }> = [];

  const nearest = (clientX: number) => {
    const box = svg.getBoundingClientRect();
    const x = ((clientX - box.left) / Math.max(1, box.width)) * WIDTH;
    let best = points[0];
    for (const point of points) if (Math.abs(point.x - x) < Math.abs(best.x - x)) best = point;
    return best;
  };
  const show = (point: { x: number; y: number; step: number; loss: number } | undefined) => {
    const training = state.current?.training;
    if (point === undefined || training === undefined) return;
    marker.setAttribute('cx', String(point.x));
    marker.setAttribute('cy', String(point.y));
    pointer.setAttribute('x1', String(point.x));
    pointer.setAttribute('x2', String(point.x));
    reading.textContent = `step ${point.step + 1}: ${training.lossName} = ${formatNumber(point.loss, state.current?.settings.digits)}`;
  };
  svg.addEventListener('pointermove', (event) => { if (points.length > 0) show(nearest(event.clientX)); });
  svg.addEventListener('pointerleave', () => render());
  svg.addEventListener('click', (event) => { if (points.length > 0) choose(nearest(event.clientX).step); });
  // The slider chooses as it moves, but asks the host once it rests (a drag would ask for every step).
  let timer: ReturnType<typeof setTimeout> | undefined;
  slider.addEventListener('input', () => {
    const step = Number(slider.value);
    // The curve may be thinned: read the nearest point, at the slider's step.
    const near = points.reduce((best, point) => (Math.abs(point.step - step) < Math.abs(best.step - step) ? point : best), points[0]);
    show({ ...near, x: xOf(step), step });
    clearTimeout(timer);
    timer = setTimeout(() => choose(step), 120);
  });

  let count = 1;
  const xOf = (step: number) => PAD + ((WIDTH - 2 * PAD) * step) / Math.max(1, count - 1);

  function render(): void {
    const training: TrainingView | undefined = state.current?.training;
    root.hidden = training === undefined;
    if (training === undefined) return;
    count = training.count;
    const losses = training.losses.map(decodeNumber);
    // Until the user chooses, a curve spanning two decades or more is drawn on a log scale.
    const positive = losses.every((loss) => loss > 0);
    const log = positive && (state.trainingLogScale ?? Math.max(...losses) / Math.min(...losses) >= 100);
    logScale.setAttribute('aria-pressed', String(log));
    logScale.classList.toggle('on', log);
    const scaled = losses.map((loss) => (log ? Math.log10(loss) : loss));
    const finite = scaled.filter(Number.isFinite);
    const low = finite.length > 0 ? Math.min(...finite) : 0;
    const high = finite.length > 0 ? Math.max(...finite) : 1;
    const yOf = (value: number) => (Number.isFinite(value) ? HEIGHT - PAD - ((HEIGHT - 2 * PAD) * (value - low)) / (high - low || 1) : PAD);
    points = training.steps.map((step, index) => ({ x: xOf(step), y: yOf(scaled[index]), step, loss: losses[index] }));
    line.setAttribute('points', points.map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' '));
    svg.setAttribute('aria-label', `${training.lossName} over ${training.count} steps, from ${formatNumber(losses[0])} to ${formatNumber(losses[losses.length - 1])}`);
    const digits = state.current?.settings.digits;
    summary.textContent = `${training.count} backward() step${training.count === 1 ? '' : 's'} · ${training.lossName} ${formatNumber(losses[0], digits)} → ${formatNumber(losses[losses.length - 1], digits)}`;
    slider.max = String(training.count - 1);
    slider.min = String(training.firstWithGraph);
    slider.disabled = training.firstWithGraph >= training.count;
    const selected = training.selected;
    slider.value = String(selected ?? training.count - 1);
    wholeRun.disabled = selected === undefined;
    const shown = selected === undefined ? undefined : points.find((point) => point.step === selected) ?? { x: xOf(selected), y: PAD, step: selected, loss: NaN };
    marker.style.visibility = shown === undefined ? 'hidden' : 'visible';
    pointer.style.visibility = shown === undefined ? 'hidden' : 'visible';
    if (shown !== undefined) show(shown);
    else reading.textContent = 'the whole run: click a point or move the slider for one step’s graph';
    const notes: string[] = [];
    if (selected !== undefined) notes.push(`Step ${selected + 1}’s graph: ∂${training.lossName}/∂node is that step’s own gradient, and parameters show their values during it.`);
    if (training.accumulates > 0) {
      const which = training.accumulatingName !== undefined ? ` (${training.accumulatingName}${training.accumulates > 1 ? ', …' : ''})` : '';
      notes.push(`${training.accumulates === 1 ? 'One value’s' : `${training.accumulates} values’`} .grad${which} differs from this step’s own: not zeroed, it holds a sum over steps; the details pane shows both.`);
    }
    if (training.firstWithGraph > 0) notes.push(`Steps 1–${training.firstWithGraph} kept only their loss and parameters (memory); later steps keep their graphs.`);
    note.textContent = notes.join(' ');
  }

  return { element: root, render };
}
