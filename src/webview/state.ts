/**
 * The panel's mutable state, in one object: what it shows (the graph or the error), how it shows it (the
 * collapsed groups, the selection, the view, the open panes), and the bookkeeping of drawing and dragging.
 * Every other module of the page reads and writes it here, so that no other module keeps a variable of its
 * own; what survives a reload is the part `host.ts` saves with `setState`.
 */
import type { Mermaid } from 'mermaid';
import type { Consumers } from '../graph/reader.ts';
import type { HostMessage, WebviewState } from '../shared/messages.ts';
import type { MermaidTheme } from './theme.ts';
import type { Size, View } from './viewport.ts';

/** A graph message as the panel holds it. */
export type GraphMessage = Extract<HostMessage, { type: 'graph' }>;
export type ErrorMessage = Extract<HostMessage, { type: 'error' }>;

/** The contract's state, and whether the details pane and the legend are open (the panel's own business). */
export interface PanelState extends WebviewState {
  readonly detailsOpen?: boolean;
  readonly legendOpen?: boolean;
}

/** The SVG elements of the drawn graph, by node (or group) id, and its edges with their ends' mermaid ids. */
export interface DrawnElements {
  readonly values: Map<number, Element>;
  readonly operations: Map<number, Element>;
  readonly groups: Map<number, Element>;
  edges: Array<{ readonly element: Element; readonly from: string; readonly to: string }>;
}

/** A press on the graph that may become a drag (a pan) or stay a click. */
export interface Drag {
  readonly pointer: number;
  readonly x: number;
  readonly y: number;
  readonly panX: number;
  readonly panY: number;
  moved: boolean;
  readonly target: EventTarget | null;
}

/** The panel height from which the legend starts open. */
const LEGEND_OPEN_HEIGHT = 600;

export const state = {
  graphMessage: undefined as GraphMessage | undefined,
  /** After a reload, the saved state of a graph too large to have been saved, until the host sends it again. */
  pendingRestore: undefined as PanelState | undefined,
  consumers: (() => []) as Consumers,
  collapsed: new Set<number>(),
  selected: undefined as number | undefined,
  /** The view of the drawn graph; undefined until a new graph is drawn and placed. */
  view: undefined as View | undefined,
  /** The view the panel opened the graph at: while `view` is still this very object, nobody has moved it, and a resized panel opens it again. */
  firstView: undefined as View | undefined,
  errorMessage: undefined as ErrorMessage | undefined,
  renderError: undefined as string | undefined,
  stale: false,
  evaluating: false,
  highlighted: [] as readonly number[],
  /** The details pane opens when a node is selected, or with its toolbar button. */
  detailsOpen: false,
  /** The legend starts open in a tall panel, where it hides little of the graph, and then as the user left it. */
  legendOpen: window.innerHeight >= LEGEND_OPEN_HEIGHT,
  /** The diagram's size at 1:1, once drawn. */
  content: undefined as Size | undefined,
  lastDraw: undefined as { boxes: number; milliseconds: number } | undefined,
  drawn: { values: new Map(), operations: new Map(), groups: new Map(), edges: [] } as DrawnElements,
  drag: undefined as Drag | undefined,
  /** A pending save of the state (pan and zoom are saved at most four times a second). */
  persistTimer: undefined as ReturnType<typeof setTimeout> | undefined,
  /** The theme mermaid was initialised with, and mermaid itself once its import started. */
  mermaidTheme: undefined as MermaidTheme | undefined,
  mermaidLoaded: undefined as Promise<Mermaid> | undefined,
  /** Only the newest draw runs: one that waited behind a slower one is dropped when a newer one was asked for. */
  drawSequence: 0,
  drawQueue: Promise.resolve<void>(undefined),
};
