/**
 * The view on the page: applies the pan and zoom (`viewport.ts`'s arithmetic) to the canvas, runs the zoom
 * commands, and pans to bring an element into view.
 */
import { persist, persistSoon } from './host.ts';
import { page } from './page.ts';
import { state } from './state.ts';
import { centreOn, fitView, isVisible, zoomAround, zoomPercent, zoomTo, ZOOM_STEP, type Rect, type Size, type ViewCommand } from './viewport.ts';

export function viewportSize(): Size {
  return { width: page.viewport.clientWidth, height: page.viewport.clientHeight };
}

/** Draws the canvas at the current view; `smooth` animates the change (a command), a drag does not. */
export function applyView(smooth = false): void {
  const { view } = state;
  if (view === undefined) return;
  page.canvas.classList.toggle('smooth', smooth);
  page.canvas.style.transform = `translate(${view.panX}px, ${view.panY}px) scale(${view.zoom})`;
  page.zoomLabel.textContent = zoomPercent(view.zoom);
  persistSoon();
}

export function command(name: ViewCommand | undefined): void {
  const { view, content } = state;
  if (view === undefined || content === undefined || name === undefined) return;
  const size = viewportSize();
  if (name === 'fit') state.view = fitView(content, size);
  else if (name === 'oneToOne') state.view = zoomTo(view, 1, size);
  else state.view = zoomAround(view, name === 'zoomIn' ? ZOOM_STEP : 1 / ZOOM_STEP, size.width / 2, size.height / 2);
  applyView(true);
  // A command is one change, not a stream of them: saved at once, so that a reload right after keeps it.
  persist();
}

/** An element's rectangle in content coordinates (the diagram at 1:1), from where it is drawn now. */
export function contentRectOf(target: Element | undefined): Rect | undefined {
  const svg = page.canvas.querySelector('svg');
  const { content } = state;
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
export function ensureVisible(target: Element): void {
  const rect = contentRectOf(target);
  const { view } = state;
  if (view === undefined || rect === undefined) return;
  const size = viewportSize();
  if (isVisible(rect, view, size)) return;
  state.view = centreOn(rect, view, size);
  applyView(true);
}
