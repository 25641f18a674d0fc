/**
 * The messages between the extension and the panel's webview: the one contract both sides compile
 * against. The extension sends the graph model as it is (no view recomputes what it holds); the webview
 * reports what the user did and when it painted.
 */
import type { EncodedGraph } from '../graph/codec.ts';
import type { GraphModel, SnippetErrorInfo } from '../graph/model.ts';

/** How the panel draws, from the `gradientGraph.*` settings. */
export interface ViewSettings {
  readonly digits: number;
  readonly direction: 'LR' | 'TB';
  readonly showConstants: boolean;
  /** Above this many values, calls and loop iterations start collapsed into expandable boxes. */
  readonly collapseAbove: number;
}

/** A document and the offsets that were evaluated in it. */
export interface EvaluationOrigin {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
}

/** The source lines of the evaluated range, so that the details can quote a node's line. */
export interface SourceLines {
  /** 0-based line of `lines[0]` in the document. */
  readonly firstLine: number;
  readonly lines: readonly string[];
}

export type HostMessage =
  /** A new graph to draw (replaces any earlier one). `id` counts evaluations, so stale renders can be abandoned. */
  | {
    readonly type: 'graph';
    /** Counts evaluations, so that stale renders can be abandoned. */
    readonly id: number;
    /** Unique to this evaluation, across reloads too: the same key is the same graph. */
    readonly key: string;
    /**
     * The model as it is: VS Code's postMessage carries its typed-array columns as binary buffers (for an
     * extension whose engine is 1.57 or later), so that no column becomes a JSON array on either side and
     * non-finite numbers arrive as they are. The side tables (names, ranges, groups) go as JSON.
     */
    readonly graph: GraphModel;
    readonly settings: ViewSettings;
    readonly source: SourceLines;
    /** What was evaluated, so that the panel can ask for it again after a reload. */
    readonly origin: EvaluationOrigin;
  }
  /** The evaluation failed: show the error instead of (over) the graph. */
  | { readonly type: 'error'; readonly error: SnippetErrorInfo; readonly fileName: string }
  /** An evaluation started: the panel shows that it is working. */
  | { readonly type: 'evaluating' }
  /** The cursor in the editor is in these nodes' source: highlight them. */
  | { readonly type: 'highlight'; readonly nodes: readonly number[] }
  /** The document changed since the graph was made. */
  | { readonly type: 'stale'; readonly stale: boolean };

export type WebviewMessage =
  /** The script loaded and listens; the host answers with the current graph or error. */
  | { readonly type: 'ready' }
  /** The user clicked a node (or pressed Enter on it): select its source in the editor. */
  | { readonly type: 'reveal'; readonly node: number }
  /** The user clicked an error's location: select its range in the document that was evaluated. */
  | { readonly type: 'revealError' }
  /** After a reload, a graph too large to have been saved: evaluate its origin again. */
  | { readonly type: 'restore'; readonly origin: EvaluationOrigin }
  /** The user asked to see what the snippet printed (the Output channel). */
  | { readonly type: 'showLogs' }
  /** The user asked to open the setting an error names (its key, `gradientGraph.timeLimit`). */
  | { readonly type: 'openSetting'; readonly key: string }
  /** A graph was painted: how many boxes, and the milliseconds from receiving the message to paint. */
  | { readonly type: 'rendered'; readonly id: number; readonly values: number; readonly milliseconds: number }
  /** Mermaid could not draw the graph. */
  | { readonly type: 'renderError'; readonly id: number; readonly message: string };

/** What the webview keeps with `setState`, so that the panel looks the same when shown again or after a reload. */
/** A graph message as the panel saves it: `setState` keeps JSON only, so the model is in its JSON form. */
export type SavedGraphMessage = Omit<Extract<HostMessage, { type: 'graph' }>, 'graph'> & { readonly graph: EncodedGraph };

export interface WebviewState {
  /** The graph itself when it is small (a reload then redraws it at once), else only where it came from. */
  readonly graph?: SavedGraphMessage;
  readonly origin?: EvaluationOrigin;
  readonly error?: Extract<HostMessage, { type: 'error' }>;
  readonly collapsed?: readonly number[];
  readonly selected?: number;
  readonly zoom?: number;
  readonly panX?: number;
  readonly panY?: number;
}
