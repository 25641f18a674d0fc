/**
 * Live mode (`gradientGraph.liveMode`): the evaluated code runs again while the user types. It follows
 * one origin, the evaluated offsets of one document, through that document's edits (liveOrigin.ts), and
 * 300 ms after the last edit asks for the evaluation again; edits of other documents do not count. An
 * origin whose text was all deleted is not run (its statement under the cursor would be some other code).
 */
import type * as vscode from 'vscode';
import { mapRange, type OffsetRange } from './liveOrigin.ts';

/** How long typing must pause before the code runs again: long enough not to start a run per keystroke. */
export const LIVE_DELAY_MS = 300;

export class LiveMode implements vscode.Disposable {
  /** `deleted`: the origin's text was all deleted (an empty origin from the start is a cursor: it runs). */
  private origin?: { readonly uri: string; range: OffsetRange; deleted: boolean };
  private timer?: ReturnType<typeof setTimeout>;

  /** `rerun` evaluates `range` of the document again; `enabled` reads the setting at each edit. */
  constructor(private readonly enabled: () => boolean, private readonly rerun: (document: vscode.TextDocument, range: OffsetRange) => void) {}

  /** Follows these offsets of `uri` from now on (a new command, or an evaluation of the current text). */
  follow(uri: vscode.Uri, range: OffsetRange): void {
    this.cancel();
    this.origin = { uri: uri.toString(), range, deleted: false };
  }

  /**
   * Carries the origin through an edit of its document and, in live mode, schedules the run again.
   * Returns whether a run is scheduled (the panel then need not say that its graph is out of date).
   */
  edited(event: vscode.TextDocumentChangeEvent): boolean {
    const origin = this.origin;
    if (!origin || event.contentChanges.length === 0 || event.document.uri.toString() !== origin.uri) return false;
    const before = origin.range;
    origin.range = mapRange(before, event.contentChanges);
    const empty = origin.range[0] === origin.range[1];
    origin.deleted = empty && (origin.deleted || before[0] !== before[1]);
    this.cancel();
    if (!this.enabled() || origin.deleted) return false;
    const { document } = event;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Closed meanwhile: nothing to evaluate.
      if (!document.isClosed) this.rerun(document, origin.range);
    }, LIVE_DELAY_MS);
    return true;
  }

  /** Drops a scheduled run (a command replaced it, or the extension stops). */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.cancel();
    this.origin = undefined;
  }
}
