/**
 * The user's hands on the graph: a drag pans and a click activates a box, the wheel zooms (or pans
 * sideways), and keys select, pan and run the zoom commands. The viewport itself never scrolls.
 */
import { mermaidIdOf } from '../graph/labels.ts';
import type { DrawnBox } from '../graph/plan.ts';
import { activate, closeGroup, select } from './actions.ts';
import { closeFind, openFind } from './findView.ts';
import { page } from './page.ts';
import { state } from './state.ts';
import { keyCommand, wheelFactor, zoomAround } from './viewport.ts';
import { applyView, command, ensureVisible } from './viewportView.ts';
import { stepperKey } from './stepperView.ts';

/** How far an arrow key pans, in screen pixels. */
const PAN_STEP = 60;

/** The box a pointer or key event is on, if any. */
function boxOf(target: EventTarget | null): DrawnBox | undefined {
  const node = target instanceof Element ? target.closest('g.node') : null;
  const id = node === null ? undefined : mermaidIdOf(node.id);
  return id === undefined ? undefined : state.boxes.get(id);
}

/** The open group whose frame's name an event is on (a click there closes it), if any. */
function frameOf(target: EventTarget | null): string | undefined {
  const label = target instanceof Element ? target.closest('[data-frame]') : null;
  const id = label?.getAttribute('data-frame') ?? undefined;
  return id === undefined ? undefined : state.current?.picture.frames.find((frame) => frame.id === id)?.group;
}

function endDrag(event: PointerEvent, click: boolean): void {
  const { drag } = state;
  const { viewport } = page;
  if (drag === undefined || event.pointerId !== drag.pointer) return;
  state.drag = undefined;
  viewport.classList.remove('dragging');
  if (viewport.hasPointerCapture(event.pointerId)) viewport.releasePointerCapture(event.pointerId);
  if (!click || drag.moved) return;
  const box = boxOf(drag.target);
  if (box !== undefined) { activate(box); return; }
  const frame = frameOf(drag.target);
  if (frame !== undefined) closeGroup(frame);
}

function onKey(event: KeyboardEvent): void {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f' && state.current !== undefined) {
    event.preventDefault();
    openFind();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target instanceof Element ? event.target : null;
  if (target?.closest('input, textarea, select')) return;
  if (stepperKey(event.key)) { event.preventDefault(); return; }
  if ((event.key === 'Enter' || event.key === ' ') && target?.matches('g.node, [data-frame]') === true) {
    const box = boxOf(target);
    const frame = box === undefined ? frameOf(target) : undefined;
    if (box !== undefined) { event.preventDefault(); activate(box); } else if (frame !== undefined) { event.preventDefault(); closeGroup(frame); }
    return;
  }
  if (event.key === 'Escape' && state.find.open) { closeFind(); return; }
  if (event.key === 'Escape' && state.selected !== undefined) { select(undefined, false); return; }
  const arrows: Partial<Record<string, [number, number]>> = { ArrowLeft: [PAN_STEP, 0], ArrowRight: [-PAN_STEP, 0], ArrowUp: [0, PAN_STEP], ArrowDown: [0, -PAN_STEP] };
  const arrow = arrows[event.key];
  const { view } = state;
  if (arrow !== undefined && target === page.viewport && view !== undefined) {
    event.preventDefault();
    state.view = { ...view, panX: view.panX + arrow[0], panY: view.panY + arrow[1] };
    applyView(true);
    return;
  }
  if (target?.closest('button') && (event.key === 'Enter' || event.key === ' ')) return;
  const name = keyCommand(event.key);
  if (name !== undefined) { event.preventDefault(); command(name); }
}

function onWheel(event: WheelEvent): void {
  const { view } = state;
  if (view === undefined) return;
  event.preventDefault();
  if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
    // Sideways scrolling (a trackpad's, or shift+wheel) pans.
    const scale = event.deltaMode === 1 ? 16 : 1;
    const dx = (event.shiftKey && event.deltaX === 0 ? event.deltaY : event.deltaX) * scale;
    state.view = { ...view, panX: view.panX - dx };
  } else {
    const port = page.viewport.getBoundingClientRect();
    state.view = zoomAround(view, wheelFactor(event.deltaY, event.deltaMode), event.clientX - port.left, event.clientY - port.top);
  }
  applyView();
}

/** Starts listening to the pointer, the wheel and the keyboard. */
export function listenForInput(): void {
  const { viewport } = page;
  viewport.addEventListener('pointerdown', (event) => {
    const { view } = state;
    if (event.button !== 0 || view === undefined) return;
    if (event.target instanceof Element && event.target.closest('.legend') !== null) return;
    state.drag = { pointer: event.pointerId, x: event.clientX, y: event.clientY, panX: view.panX, panY: view.panY, moved: false, target: event.target };
  });

  viewport.addEventListener('pointermove', (event) => {
    const { drag, view } = state;
    if (drag === undefined || event.pointerId !== drag.pointer || view === undefined) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved) {
      if (Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      viewport.setPointerCapture(event.pointerId);
      viewport.classList.add('dragging');
    }
    state.view = { zoom: view.zoom, panX: drag.panX + dx, panY: drag.panY + dy };
    applyView();
  });

  viewport.addEventListener('pointerup', (event) => endDrag(event, true));
  viewport.addEventListener('pointercancel', (event) => endDrag(event, false));

  // Focus on a box (Tab): the browser would scroll the viewport to show it, moving the legend away with it.
  // The viewport never scrolls; the view pans to the box instead.
  viewport.addEventListener('scroll', () => { viewport.scrollLeft = 0; viewport.scrollTop = 0; });
  viewport.addEventListener('focusin', (event) => {
    if (event.target instanceof Element && event.target.matches('g.node')) ensureVisible(event.target);
  });

  viewport.addEventListener('wheel', onWheel, { passive: false });
  document.addEventListener('keydown', onKey);
}
