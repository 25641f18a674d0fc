/**
 * Pan and zoom as plain arithmetic: a view is a scale and a translation of the diagram inside the panel
 * (`screen = content × zoom + pan`). No DOM here, so that the math is unit-tested.
 */

export interface View {
  readonly zoom: number;
  readonly panX: number;
  readonly panY: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** A rectangle in content coordinates (the diagram at 1:1). */
export interface Rect extends Size {
  readonly x: number;
  readonly y: number;
}

/** How far the user may zoom out and in. */
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 4;
/**
 * The smallest zoom at which the diagram's text (13 px at 1:1) is still at least 9 px on screen. A graph
 * never starts below it; the user may zoom out further, and "Fit" does when asked.
 */
export const READABLE_ZOOM = 9 / 13;
/** Space kept around the diagram when it is fitted or centred, in screen pixels. */
export const MARGIN = 16;

export function clampZoom(zoom: number): number {
  if (!Number.isFinite(zoom)) return 1;
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The zoom at which the content fits the viewport (with margins), at most 1:1. */
export function fitZoom(content: Size, viewport: Size, margin = MARGIN): number {
  if (content.width <= 0 || content.height <= 0) return 1;
  const zoom = Math.min((viewport.width - 2 * margin) / content.width, (viewport.height - 2 * margin) / content.height, 1);
  return clampZoom(zoom > 0 ? zoom : MIN_ZOOM);
}

/**
 * Where the content goes along one axis at a zoom: centred when it fits, else starting at the margin (the
 * leaves of a left-to-right graph, the top of a top-to-bottom one).
 */
function place(content: number, viewport: number, zoom: number, margin: number): number {
  const drawn = content * zoom;
  return drawn + 2 * margin <= viewport ? (viewport - drawn) / 2 : margin;
}

/** The content at a zoom, placed as `place` says on both axes. */
export function placed(content: Size, viewport: Size, zoom: number, margin = MARGIN): View {
  return { zoom, panX: place(content.width, viewport.width, zoom, margin), panY: place(content.height, viewport.height, zoom, margin) };
}

/** The whole content in view (never above 1:1, and never below `MIN_ZOOM`). */
export function fitView(content: Size, viewport: Size, margin = MARGIN): View {
  return placed(content, viewport, fitZoom(content, viewport, margin), margin);
}

/**
 * The view a newly drawn graph starts with. A graph that fits at a readable zoom is shown whole and
 * centred (at 1:1 at most). A bigger one opens at the readable zoom on its output (`output`, in content
 * coordinates), since backpropagation starts there: the output as near the centre as the diagram's own
 * edges allow, so that no empty space is shown beyond them, and an axis that fits is centred.
 */
export function initialView(content: Size, viewport: Size, output?: Rect, margin = MARGIN): View {
  const fit = fitZoom(content, viewport, margin);
  if (fit >= READABLE_ZOOM || output === undefined) return placed(content, viewport, Math.max(fit, READABLE_ZOOM), margin);
  const zoom = READABLE_ZOOM;
  const onOutput = centreOn(output, { zoom, panX: 0, panY: 0 }, viewport);
  const axis = (pan: number, drawn: number, room: number) => (drawn + 2 * margin <= room ? (room - drawn) / 2 : Math.min(margin, Math.max(room - margin - drawn, pan)));
  return { zoom, panX: axis(onOutput.panX, content.width * zoom, viewport.width), panY: axis(onOutput.panY, content.height * zoom, viewport.height) };
}

/** Zoom by `factor` keeping the content under the screen point (x, y) where it is. */
export function zoomAround(view: View, factor: number, x: number, y: number): View {
  const zoom = clampZoom(view.zoom * factor);
  const ratio = zoom / view.zoom;
  return { zoom, panX: x - (x - view.panX) * ratio, panY: y - (y - view.panY) * ratio };
}

/** Zoom to an absolute scale around the viewport's centre. */
export function zoomTo(view: View, zoom: number, viewport: Size): View {
  return zoomAround(view, clampZoom(zoom) / view.zoom, viewport.width / 2, viewport.height / 2);
}

/** A wheel event's zoom factor: smooth for trackpads (pixel deltas), a step per notch for mice. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  const bounded = Math.max(-120, Math.min(120, pixels));
  return Math.exp(-bounded * 0.002);
}

/** The factor of one "+" or "-" step. */
export const ZOOM_STEP = 1.25;

/** Whether a content rectangle is entirely on screen in a view. */
export function isVisible(rect: Rect, view: View, viewport: Size): boolean {
  const left = rect.x * view.zoom + view.panX;
  const top = rect.y * view.zoom + view.panY;
  return left >= 0 && top >= 0 && left + rect.width * view.zoom <= viewport.width && top + rect.height * view.zoom <= viewport.height;
}

/** The same zoom, panned so that a content rectangle is at the viewport's centre. */
export function centreOn(rect: Rect, view: View, viewport: Size): View {
  return {
    zoom: view.zoom,
    panX: viewport.width / 2 - (rect.x + rect.width / 2) * view.zoom,
    panY: viewport.height / 2 - (rect.y + rect.height / 2) * view.zoom,
  };
}

/** The zoom as the toolbar shows it. */
export function zoomPercent(zoom: number): string {
  return `${Math.round(zoom * 100)}%`;
}

/** What a key press does to the view, if anything. */
export type ViewCommand = 'oneToOne' | 'fit' | 'zoomIn' | 'zoomOut';

export function keyCommand(key: string): ViewCommand | undefined {
  switch (key) {
    case '0': return 'oneToOne';
    case 'f': case 'F': return 'fit';
    case '+': case '=': return 'zoomIn';
    case '-': case '_': return 'zoomOut';
    default: return undefined;
  }
}
