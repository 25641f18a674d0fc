/**
 * The panel's mutable state, in one object: what it shows (the host's picture or the error), how it shows it
 * (the choices, the selection, the view, the open panes), and the bookkeeping of requests, drawing and dragging.
 * Every other module of the page reads and writes it here, so that no other module keeps a variable of its
 * own; what survives a reload is the part `host.ts` saves with `setState`.
 */
import type { Mermaid } from 'mermaid';
import type { Details } from '../graph/details.ts';
import { NO_CHOICES, type DrawnBox } from '../graph/plan.ts';
import type { CheckStatus, FoundValue, HostMessage, SelectionMarks, WebviewState } from '../shared/messages.ts';
import type { MermaidTheme } from './theme.ts';
import type { Size, View } from './viewport.ts';

/** A picture as the panel holds it: the host's view message. */
export type ViewMessage = Extract<HostMessage, { type: 'view' }>;
export type ErrorMessage = Extract<HostMessage, { type: 'error' }>;

/** The contract's state, and whether the details pane and the legend are open (the panel's own business). */
export interface PanelState extends WebviewState {
  readonly detailsOpen?: boolean;
  readonly legendOpen?: boolean;
}

/** The SVG elements of the drawn picture by mermaid id (boxes and frames), and its edges with their ends' ids. */
export interface DrawnElements {
  readonly elements: Map<string, Element>;
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
  /** The picture shown: the host's latest view message. */
  current: undefined as ViewMessage | undefined,
  /** What each mermaid id of the picture stands for. */
  boxes: new Map<string, DrawnBox>(),
  /** After a reload, the saved state, until the host sends that evaluation again. */
  pendingRestore: undefined as PanelState | undefined,
  /** The choices of the newest picture asked for (the shown one's, unless an answer is on its way). */
  choices: NO_CHOICES,
  selected: undefined as number | undefined,
  /** The selected node's details and marks, as the host answered. */
  details: undefined as Details | undefined,
  marks: { selected: [], related: [] } as SelectionMarks,
  /** Ids of requests to the host; an answer to anything but the newest request of its kind is dropped. */
  requests: { next: 0, view: -1, details: -1, find: -1, check: -1, backward: -1 },
  /** The gradient check of evaluation `key`, as the host last reported it. */
  check: undefined as { readonly key: string; readonly status: CheckStatus } | undefined,
  /** The search box: open or not, its query, and what the host found. */
  find: { open: false, query: '', values: [] as readonly FoundValue[], index: -1, chooseFirst: false },
  /** What the next picture brings into view once drawn: the group the user opened, or the value found. */
  revealAfterDraw: undefined as { readonly group?: string; readonly node?: number } | undefined,
  /** A search waits until typing pauses. */
  findTimer: undefined as ReturnType<typeof setTimeout> | undefined,
  /** The view of the drawn graph; undefined until a new graph is drawn and placed. */
  view: undefined as View | undefined,
  /** The view the panel opened the graph at: while `view` is still this very object, nobody has moved it, and a resized panel opens it again. */
  firstView: undefined as View | undefined,
  errorMessage: undefined as ErrorMessage | undefined,
  renderError: undefined as string | undefined,
  stale: false,
  evaluating: false,
  /** The mermaid ids the editor's cursor highlights. */
  highlighted: [] as readonly string[],
  /** The details pane opens when a node is selected, or with its toolbar button. */
  detailsOpen: false,
  /** The legend starts open in a tall panel, where it hides little of the graph, and then as the user left it. */
  legendOpen: window.innerHeight >= LEGEND_OPEN_HEIGHT,
  /** Whether the training strip draws its loss curve on a log scale (undefined: as the curve's range suggests). */
  trainingLogScale: undefined as boolean | undefined,
  /** The diagram's size at 1:1, once drawn. */
  content: undefined as Size | undefined,
  lastDraw: undefined as { boxes: number; milliseconds: number } | undefined,
  drawn: { elements: new Map(), edges: [] } as DrawnElements,
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
