/**
 * The messages between the extension and the panel's webview: the one contract both sides compile
 * against. The extension keeps the graph model and sends the panel only what it draws (a plan of at most
 * a budget of boxes, `graph/plan.ts`) and what it shows beside it (a summary, one node's details); the
 * panel asks for more with typed requests, each with an id that its answer carries back.
 */
import type { Details } from '../graph/details.ts';
import type { SnippetErrorInfo } from '../graph/model.ts';
import type { DrawnBox, DrawnFrame, ViewChoices } from '../graph/plan.ts';
import type { GraphSummary } from '../graph/summary.ts';
import type { BackwardScript } from '../graph/stepper.ts';

/** How the panel draws, from the `gradientGraph.*` settings. */
export interface ViewSettings {
  readonly digits: number;
  readonly direction: 'LR' | 'TB';
  readonly showConstants: boolean;
  /** The most boxes a picture draws (`gradientGraph.maxBoxes`). */
  readonly maxBoxes: number;
  /** Milliseconds per step when the backward stepper plays (`gradientGraph.stepperSpeed`). */
  readonly stepperSpeed: number;
}

/** A document and the offsets that were evaluated in it. */
export interface EvaluationOrigin {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
}

/** A picture as the panel draws it: the plan's mermaid text and what each of its elements stands for. */
export interface DrawnPicture {
  readonly mermaid: string;
  readonly boxes: readonly DrawnBox[];
  readonly frames: readonly DrawnFrame[];
  readonly boxCount: number;
  readonly outputBox: string;
  /** The view groups open in this picture (their keys). */
  readonly open: readonly string[];
}

/** The marks of a selected node on the picture: its own elements, and those of its inputs and consumers. */
export interface SelectionMarks {
  readonly selected: readonly string[];
  readonly related: readonly string[];
}

/** One value a search found. */
export interface FoundValue {
  readonly node: number;
  readonly name: string;
  /** Its source line, 1-based, if it has one. */
  readonly line?: number;
}

export type HostMessage =
  /**
   * A picture to draw. A new evaluation (a new `key`) replaces what was shown; an answer to the panel's
   * `view` request (`request` set) redraws the same evaluation with other choices.
   */
  | {
    readonly type: 'view';
    /** Counts pictures sent, so that the panel's paint reports say which one they are about. */
    readonly id: number;
    /** Unique to this evaluation, across reloads too: the same key is the same graph. */
    readonly key: string;
    /** The panel's request this answers, if any. */
    readonly request?: number;
    readonly picture: DrawnPicture;
    /** The choices the picture was planned with (what the panel saves, and sends back changed). */
    readonly choices: ViewChoices;
    readonly summary: GraphSummary;
    readonly settings: ViewSettings;
    /** What was evaluated, so that the panel can ask for it again after a reload. */
    readonly origin: EvaluationOrigin;
    /** The snippet's training steps, when it called `backward()` itself: the loss curve and the shown step. */
    readonly training?: TrainingView;
  }
  /** The answer to a `details` request: the node's details and its marks on the current picture. */
  | { readonly type: 'details'; readonly request: number; readonly key: string; readonly node: number; readonly details?: Details; readonly marks: SelectionMarks }
  /** The answer to a `backward` request: the stepper's script for the picture shown. */
  | { readonly type: 'backward'; readonly request: number; readonly key: string; readonly script: BackwardScript }
  /** The answer to a `find` request. */
  | { readonly type: 'found'; readonly request: number; readonly key: string; readonly query: string; readonly values: readonly FoundValue[] }
  /** The evaluation failed: show the error instead of (over) the graph. */
  | { readonly type: 'error'; readonly error: SnippetErrorInfo; readonly fileName: string }
  /** An evaluation started: the panel shows that it is working. */
  | { readonly type: 'evaluating' }
  /** The cursor in the editor is in these nodes' source: highlight these elements of the picture. */
  | { readonly type: 'highlight'; readonly boxes: readonly string[] }
  /** The document changed since the graph was made. */
  | { readonly type: 'stale'; readonly stale: boolean }
  /** The gradient check's progress, then its result (an answer to a `check` request). */
  | { readonly type: 'check'; readonly request: number; readonly key: string; readonly status: CheckStatus };

export type WebviewMessage =
  /** The script loaded and listens; the host answers with the current picture or error. */
  | { readonly type: 'ready' }
  /** Draw evaluation `key` with these choices (a group opened or closed, a value revealed). */
  | { readonly type: 'view'; readonly request: number; readonly key: string; readonly choices: ViewChoices }
  /** What the details pane shows about a node, and its marks. */
  | { readonly type: 'details'; readonly request: number; readonly key: string; readonly node: number }
  /** Values whose name or source text contains `query`. */
  | { readonly type: 'find'; readonly request: number; readonly key: string; readonly query: string }
  /** The backward stepper's script for the picture shown (`graph/stepper.ts`). */
  | { readonly type: 'backward'; readonly request: number; readonly key: string }
  /** The user clicked a node (or pressed Enter on it): select its source in the editor. */
  | { readonly type: 'reveal'; readonly node: number }
  /** The user clicked an error's location: select its range in the document that was evaluated. */
  | { readonly type: 'revealError' }
  /**
   * After a reload: the panel's saved evaluation. The host draws it with `choices` if it still has it,
   * else evaluates its origin again.
   */
  | { readonly type: 'restore'; readonly key: string; readonly origin: EvaluationOrigin; readonly choices: ViewChoices }
  /** The user asked to see what the snippet printed (the Output channel). */
  | { readonly type: 'showLogs' }
  /** The user asked to open the setting an error names (its key, `gradientGraph.timeLimit`). */
  | { readonly type: 'openSetting'; readonly key: string }
  /** A picture was painted: how many boxes, and the milliseconds from receiving the message to paint. */
  | { readonly type: 'rendered'; readonly id: number; readonly values: number; readonly milliseconds: number }
  /** Mermaid could not draw the picture. */
  | { readonly type: 'renderError'; readonly id: number; readonly message: string }
  /** Check evaluation `key`'s gradients with finite differences (`snippet/gradientCheck.ts`). */
  | { readonly type: 'check'; readonly request: number; readonly key: string }
  /**
   * The user exported the picture shown (the webview can neither write files nor reach VS Code's clipboard):
   * to a file the host asks where with a save dialog; to the clipboard it copies the text. `content` is the
   * text (mermaid, SVG) or the PNG's bytes in base64 (a PNG is never copied through the host).
   */
  | { readonly type: 'export'; readonly format: ExportFormat; readonly target: 'file' | 'clipboard'; readonly content: string }
  /** What an export done in the panel itself came to (a PNG copied there, or one it could not make): the host says so. */
  | { readonly type: 'exportNote'; readonly message: string; readonly failed: boolean };

/** One leaf's check as the panel shows it; numbers that JSON cannot hold as strings (`codec.ts`). */
export interface LeafCheckView {
  readonly id: number;
  readonly numeric: number | string;
  readonly relativeError: number | string;
  readonly disagrees: boolean;
  readonly reason?: string;
}

/** Where a gradient check is: running (runs done of all), done, or failed. */
export type CheckStatus =
  | { readonly state: 'running'; readonly done: number; readonly total: number }
  | { readonly state: 'done'; readonly leaves: readonly LeafCheckView[]; readonly worst: number | string; readonly tolerance: number }
  | { readonly state: 'failed'; readonly message: string };

/** What the panel's picture exports as: its mermaid text, a standalone SVG, or a PNG of it. */
export type ExportFormat = 'mermaid' | 'svg' | 'png';

/**
 * The loss curve as the panel draws it: at most `TRAINING_POINTS` points (a longer run is thinned to
 * evenly spaced steps, the first and the last kept), the step each point is, and what the shown step is.
 */
export interface TrainingView {
  /** How many steps the snippet ran. */
  readonly count: number;
  readonly steps: readonly number[];
  /** The losses, NaN and infinities as strings (as `codec.ts` writes them). */
  readonly losses: ReadonlyArray<number | string>;
  /** The name of the value the steps started from (`loss`). */
  readonly lossName: string;
  /** The steps from this one on kept their graphs; older ones kept their parameters or their loss only. */
  readonly firstWithGraph: number;
  /** The step whose graph is drawn, if one is. */
  readonly selected?: number;
  /** How many values of that step have an accumulated `.grad` other than the step's own gradient (not zeroed), and one's name. */
  readonly accumulates: number;
  readonly accumulatingName?: string;
}

/** The most points of a loss curve sent to the panel. */
export const TRAINING_POINTS = 2000;

/**
 * What the webview keeps with `setState`: the view only, never the graph. After a reload it asks the host
 * for the same evaluation (`restore`) and shows it as it was left.
 */
export interface WebviewState {
  readonly key?: string;
  readonly origin?: EvaluationOrigin;
  readonly choices?: ViewChoices;
  readonly error?: Extract<HostMessage, { type: 'error' }>;
  readonly selected?: number;
  readonly zoom?: number;
  readonly panX?: number;
  readonly panY?: number;
}
