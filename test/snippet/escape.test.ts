// Escape attempts (escapeAttempts.ts), each run three times: through evaluateSnippet and evaluateGradients
// (the CLI's leaves-only result) with every wall up, and in the
// sandbox process started as plain node (sandboxHarness.ts), where the vm context is the only wall and an
// escape would write its marker file. Each must end with a normal result or a clear error, within the time
// limit, and write nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evaluateGradients, evaluateSnippet, type EvaluationResult, type GradientsResult } from '../../src/snippet/evaluate.ts';
import { attemptSnippet, ESCAPE_ATTEMPTS } from './escapeAttempts.ts';
import { inParallel, runUnwalled, type UnwalledRun } from './sandboxHarness.ts';

const TIME_LIMIT_MS = 200;
const folder = mkdtempSync(path.join(tmpdir(), 'gradient-graph-escape-'));
after(() => rmSync(folder, { recursive: true, force: true }));

interface Outcome {
  readonly walled: EvaluationResult;
  readonly walledMs: number;
  /** The same through the leaves-only result (the CLI's table and --grads). */
  readonly leaves: GradientsResult;
  readonly unwalled: UnwalledRun;
  readonly markers: readonly string[];
}

const marker = (index: number, wall: string) => path.join(folder, `attempt-${index}-${wall}`);
const markersOf = (index: number) => ['walled', 'leaves', 'unwalled'].flatMap((wall) => [marker(index, wall), `${marker(index, wall)}.process`]).filter((file) => existsSync(file));

describe('escape attempts', () => {
  let outcomes: Outcome[] = [];
  before(async () => {
    outcomes = await inParallel(ESCAPE_ATTEMPTS.length, 2, async (index) => {
      const [, body] = ESCAPE_ATTEMPTS[index];
      const started = performance.now();
      const walled = await evaluateSnippet({ text: attemptSnippet(marker(index, 'walled'), body), fileName: 'attempt.ts' }, { timeLimitMs: TIME_LIMIT_MS, maxNodes: 10_000 });
      const walledMs = performance.now() - started;
      const leaves = await evaluateGradients({ text: attemptSnippet(marker(index, 'leaves'), body), fileName: 'attempt.ts' }, { timeLimitMs: TIME_LIMIT_MS, maxNodes: 10_000 });
      const unwalled = await runUnwalled(attemptSnippet(marker(index, 'unwalled'), body), { timeLimitMs: TIME_LIMIT_MS, maxNodes: 10_000 });
      return { walled, walledMs, leaves, unwalled, markers: markersOf(index) };
    });
  });

  ESCAPE_ATTEMPTS.forEach(([name], index) => {
    it(name, () => {
      const { walled, walledMs, leaves, unwalled, markers } = outcomes[index];
      assert.deepEqual(markers, [], 'no file written, no process started');
      for (const result of [walled, leaves]) {
        if (result.ok) continue;
        assert.doesNotMatch(result.error.message, /internal error|malformed|dist\/|node:internal|sandboxProcess|sandboxRuntime/, result.error.message);
        assert.ok(result.error.line >= 1 && result.error.column >= 1);
      }
      // Both results say the same: the same output, or the same error.
      assert.equal(leaves.ok, walled.ok, `leaves-only: ${JSON.stringify(leaves.ok ? leaves.gradients.output : leaves.error)}; graph: ${JSON.stringify(walled.ok ? walled.graph.outputLabel : walled.error)}`);
      assert.ok(walledMs < TIME_LIMIT_MS + 4000, `ended within the time limit (took ${Math.round(walledMs)} ms)`);
      assert.ok(unwalled.answer !== undefined, `the sandbox process answered (exit code ${unwalled.exitCode}, hung: ${unwalled.hung}) ${unwalled.stderr}`);
    });
  });
});
