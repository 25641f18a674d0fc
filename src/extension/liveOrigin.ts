/**
 * Live mode's origin: the evaluated offsets of a document, carried through its edits, so that the next
 * evaluation runs the same code as it now reads. Pure (no `vscode`): an edit is VS Code's
 * `TextDocumentContentChangeEvent` reduced to offsets.
 */

/** One replacement, in offsets of the document as it was before it. */
export interface OffsetEdit {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/** Offsets `[start, end)` of a document. */
export type OffsetRange = readonly [number, number];

/**
 * `range` after `edits`, applied in order (VS Code lists the edits of one change from the end of the
 * document back, so each one's offsets hold after the ones before it). Text typed at either edge of the
 * range joins it: typing at the end of the last statement changes the last statement. A range whose text
 * is all deleted becomes empty, which live mode takes as "nothing left to evaluate".
 */
export function mapRange(range: OffsetRange, edits: readonly OffsetEdit[]): OffsetRange {
  let [start, end] = range;
  for (const edit of edits) {
    const editStart = edit.rangeOffset;
    const editEnd = edit.rangeOffset + edit.rangeLength;
    const shift = edit.text.length - edit.rangeLength;
    if (editStart > end) continue;
    if (editEnd < start) {
      start += shift;
      end += shift;
      continue;
    }
    // The edit touches or overlaps the range: what it replaced inside the range is gone, its text is in.
    const nextStart = Math.min(start, editStart);
    const nextEnd = Math.max(editStart + edit.text.length, end + shift);
    const deletedAll = editStart <= start && editEnd >= end && edit.text.trim() === '';
    start = nextStart;
    end = deletedAll ? nextStart : nextEnd;
  }
  return [start, end];
}
