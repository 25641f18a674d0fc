// Live mode (src/extension/liveMode.ts, liveOrigin.ts): the evaluated range follows the edits of its
// document, a run waits for 300 ms without typing, and a range that was deleted, or another document, is
// not run. Timers are node:test's mock, so nothing waits.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type * as vscode from 'vscode';
import { LIVE_DELAY_MS, LiveMode } from '../../src/extension/liveMode.ts';
import { mapRange, type OffsetEdit, type OffsetRange } from '../../src/extension/liveOrigin.ts';

const edit = (rangeOffset: number, rangeLength: number, text: string): OffsetEdit => ({ rangeOffset, rangeLength, text });

describe('live origin', () => {
  // The range [10, 20) of a document.
  const range: OffsetRange = [10, 20];

  it('moves with text typed or deleted before it, and ignores edits after it', () => {
    assert.deepEqual(mapRange(range, [edit(0, 0, 'abc')]), [13, 23]);
    assert.deepEqual(mapRange(range, [edit(2, 5, '')]), [5, 15]);
    assert.deepEqual(mapRange(range, [edit(25, 3, 'x')]), [10, 20]);
  });

  it('grows and shrinks with edits inside it, and takes in text typed at either edge', () => {
    assert.deepEqual(mapRange(range, [edit(14, 1, '3.0')]), [10, 22]); // `2` → `3.0`
    assert.deepEqual(mapRange(range, [edit(12, 4, '')]), [10, 16]);
    assert.deepEqual(mapRange(range, [edit(20, 0, ' + 1')]), [10, 24]);
    assert.deepEqual(mapRange(range, [edit(10, 0, 'x')]), [10, 21]);
  });

  it('keeps what is left of a range that an edit cuts into from either side', () => {
    assert.deepEqual(mapRange(range, [edit(5, 10, '')]), [5, 10]);
    assert.deepEqual(mapRange(range, [edit(15, 10, '')]), [10, 15]);
  });

  it('becomes empty when its text is all deleted, or replaced by blanks', () => {
    assert.deepEqual(mapRange(range, [edit(8, 15, '')]), [8, 8]);
    assert.deepEqual(mapRange(range, [edit(10, 10, '\n')]), [10, 10]);
    // Replaced by other code: that code is what the range now holds.
    assert.deepEqual(mapRange(range, [edit(10, 10, 'const z = 1;')]), [10, 22]);
  });

  it("applies one change's edits in order, as VS Code lists them (from the end back)", () => {
    // Two cursors: one types inside the range, one before it.
    assert.deepEqual(mapRange(range, [edit(15, 0, 'yy'), edit(3, 0, 'x')]), [11, 23]);
  });
});

/** A document and an edit event, as much of them as live mode reads. */
function documentAt(uri: string): vscode.TextDocument {
  return { uri: { toString: () => uri }, isClosed: false } as unknown as vscode.TextDocument;
}
function changed(document: vscode.TextDocument, ...edits: OffsetEdit[]): vscode.TextDocumentChangeEvent {
  return { document, contentChanges: edits, reason: undefined } as unknown as vscode.TextDocumentChangeEvent;
}

describe('live mode', () => {
  let enabled = true;
  let runs: Array<{ uri: string; range: OffsetRange }> = [];
  let live: LiveMode;
  const one = documentAt('file:///one.ts');
  const two = documentAt('file:///two.ts');

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] });
    enabled = true;
    runs = [];
    live = new LiveMode(() => enabled, (document, range) => runs.push({ uri: document.uri.toString(), range }));
    live.follow(one.uri, [10, 20]);
  });
  afterEach(() => {
    live.dispose();
    mock.timers.reset();
  });

  it('runs the moved range once, 300 ms after the last of several edits', () => {
    assert.equal(live.edited(changed(one, edit(14, 1, '3'))), true);
    mock.timers.tick(LIVE_DELAY_MS - 1);
    assert.equal(live.edited(changed(one, edit(15, 0, '.0'))), true);
    mock.timers.tick(LIVE_DELAY_MS - 1);
    assert.deepEqual(runs, []);
    mock.timers.tick(1);
    assert.deepEqual(runs, [{ uri: 'file:///one.ts', range: [10, 22] }]);
  });

  it("ignores another document's edits, and runs nothing when the setting is off", () => {
    assert.equal(live.edited(changed(two, edit(0, 0, 'x'))), false);
    enabled = false;
    assert.equal(live.edited(changed(one, edit(0, 0, 'x'))), false);
    mock.timers.tick(10 * LIVE_DELAY_MS);
    assert.deepEqual(runs, []);
    // The edit made with the setting off still moved the range.
    enabled = true;
    live.edited(changed(one, edit(0, 0, 'y')));
    mock.timers.tick(LIVE_DELAY_MS);
    assert.deepEqual(runs, [{ uri: 'file:///one.ts', range: [12, 22] }]);
  });

  it('runs nothing once the range was deleted, not even after edits elsewhere, until code is typed where it was', () => {
    assert.equal(live.edited(changed(one, edit(5, 20, ''))), false);
    assert.equal(live.edited(changed(one, edit(0, 0, '// a comment\n'))), false);
    mock.timers.tick(10 * LIVE_DELAY_MS);
    assert.deepEqual(runs, []);
    // [18, 18] now: code typed there is what live mode runs.
    assert.equal(live.edited(changed(one, edit(18, 0, 'const q = 1;'))), true);
    mock.timers.tick(LIVE_DELAY_MS);
    assert.deepEqual(runs, [{ uri: 'file:///one.ts', range: [18, 30] }]);
  });

  it('follows an empty origin (a cursor) as a cursor: it runs the statement there', () => {
    live.follow(one.uri, [12, 12]);
    assert.equal(live.edited(changed(one, edit(0, 0, 'x'))), true);
    mock.timers.tick(LIVE_DELAY_MS);
    assert.deepEqual(runs, [{ uri: 'file:///one.ts', range: [13, 13] }]);
  });

  it('drops a scheduled run when a command follows another origin', () => {
    live.edited(changed(one, edit(14, 1, '3')));
    live.follow(two.uri, [0, 5]);
    mock.timers.tick(10 * LIVE_DELAY_MS);
    assert.deepEqual(runs, []);
  });
});
