/**
 * The panel's gradient check: runs `checkGradients` (the CLI's `--check`) on the evaluation's source and
 * reports to the panel as it goes: how many runs are done, then each leaf's numeric derivative and whether
 * it disagrees with autograd, and why. No `vscode` here: the extension passes what to post.
 */
import { encodeNumber } from '../graph/codec.ts';
import type { EvaluateOptions, SnippetSource } from '../snippet/evaluate.ts';
import { checkGradients } from '../snippet/gradientCheck.ts';
import type { CheckStatus } from '../shared/messages.ts';

/** Progress reports at most this often: a check of an MLP makes hundreds of runs of a few ms each. */
const PROGRESS_MS = 100;

/** Runs the check and posts its statuses; a cancelled check (`options.signal`) posts nothing more. */
export async function runPanelCheck(source: SnippetSource, options: EvaluateOptions, post: (status: CheckStatus) => void): Promise<void> {
  let lastReport = -Infinity;
  const result = await checkGradients(source, {
    ...options,
    onProgress: (done, total) => {
      const now = performance.now();
      if (now - lastReport < PROGRESS_MS || options.signal?.aborted) return;
      lastReport = now;
      post({ state: 'running', done, total });
    },
  });
  if (options.signal?.aborted) return;
  if (!result.ok) return post({ state: 'failed', message: result.error.message });
  const { check } = result;
  post({
    state: 'done', worst: encodeNumber(check.worst), tolerance: check.tolerance,
    leaves: check.leaves.map((leaf) => ({
      id: leaf.id, numeric: encodeNumber(leaf.numeric), relativeError: encodeNumber(leaf.relativeError), disagrees: leaf.disagrees,
      ...(leaf.reason !== undefined ? { reason: leaf.reason } : {}),
    })),
  });
}
