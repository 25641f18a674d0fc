/**
 * The gradient check (issue 13): each leaf's gradient from autograd beside a numeric derivative of the
 * output, made by evaluating the snippet again with that leaf moved a little either way (central
 * differences at h and h/2, Richardson extrapolation: `engine/finiteDifference.ts`). The numeric runs are
 * independent of the autograd pass: they read only the output's value, and a fingerprint of the path the
 * run took (`fingerprint.ts`), which names the cause when the two disagree at a kink the code branches on.
 *
 * All the runs share one sandbox process, each in a fresh vm context (the pool's `reuse`), and the process
 * rewrites the snippet once. The CLI's `--check` and the panel's button both call `checkGradients`.
 */
import { DEFAULT_TOLERANCE, derivativeFrom, noiseFloor, relativeError, samplePoints, stepFor } from '../engine/finiteDifference.ts';
import type { SnippetErrorInfo } from '../graph/model.ts';
import { evaluateGradients, runEvaluation, stopSpareProcess, type EvaluateOptions, type LeafGradient, type SnippetSource } from './evaluate.ts';
import type { Fingerprint } from './fingerprint.ts';
import { checkValue } from './resultCheck.ts';

/** One leaf's check. */
export interface LeafCheck {
  readonly id: number;
  /** Its label, with `#2`, `#3` for a repeated one (as `--grads` prints them). */
  readonly label: string;
  readonly data: number;
  readonly autograd: number;
  readonly numeric: number;
  readonly relativeError: number;
  /** Whether the relative error is above the tolerance (NaN is), or the leaf is at a kink. */
  readonly disagrees: boolean;
  /** Why it disagrees, when the runs show the cause: a kink, or a run that failed. */
  readonly reason?: string;
}

export interface GradientCheck {
  readonly output: { readonly label: string; readonly data: number };
  readonly leaves: readonly LeafCheck[];
  /** The largest relative error (NaN if any is NaN), 0 without leaves. */
  readonly worst: number;
  readonly tolerance: number;
}

export type CheckResult =
  | { readonly ok: true; readonly check: GradientCheck }
  | { readonly ok: false; readonly error: SnippetErrorInfo; readonly logs?: readonly string[] };

export interface CheckOptions extends EvaluateOptions {
  /** Above this relative error a leaf disagrees (default `DEFAULT_TOLERANCE`). */
  readonly tolerance?: number;
  /** Told after each run: how many are done of how many. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Leaves' labels in declaration order; a repeated label gets `#2`, `#3`; a leaf without one is `#id`. */
export function leafLabels(leaves: readonly LeafGradient[]): string[] {
  const seen = new Map<string, number>();
  return leaves.map((leaf) => {
    const base = leaf.label ?? `#${leaf.id}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  });
}

type Run = Fingerprint & { readonly value: number };
type Sample = ({ readonly ok: true } & Run) | { readonly ok: false; readonly message: string };

/** The output's value and the run's fingerprint, with leaf `ordinal` moved by `by` if given. */
async function sample(source: SnippetSource, options: EvaluateOptions, ordinal?: number, by = 0): Promise<Sample> {
  const run = await runEvaluation(source, options, 'value', ordinal === undefined ? undefined : { ordinal, by });
  if (!run.ok) return { ok: false, message: run.error.message };
  const checked = checkValue(run.payload, run.limits.maxNodes);
  return checked.ok ? { ok: true, ...checked.value } : { ok: false, message: checked.problem };
}

const samePath = (one: Run, other: Run) => one.flow === other.flow && one.nodeCount === other.nodeCount;

/**
 * A kink at or near x: the runs on either side of it, (x + h, x - h) or (x + h/2, x - h/2), took another
 * branch of the code, or a piecewise operation was on another piece. There the derivative does not exist:
 * autograd gives a convention (PyTorch's), finite differences the mean of the two slopes.
 */
function kinkOf(label: string, at: string, runs: readonly Run[]): string | undefined {
  for (const [plus, minus] of [[runs[0], runs[1]], [runs[2], runs[3]]]) {
    if (!samePath(plus, minus)) return `a kink at ${at}: the code branches on ${label}, and takes another path on either side`;
    if (plus.pieces !== minus.pieces) return `a kink at ${at}: a piecewise operation (Math.abs, relu, Math.max, Math.min, a step) changes piece there`;
  }
  return undefined;
}

/**
 * Why a leaf's runs (`samples`, and the run at it, `base`) disagree with autograd, when they show it: a run
 * that failed, a kink, a path taken only at the point itself, or values that left the graph.
 */
function reasonOf(label: string, at: string, base: Run, samples: readonly Sample[]): string | undefined {
  const failed = samples.find((run) => !run.ok);
  if (failed && !failed.ok) return `the snippet fails with ${label} moved a little: ${failed.message}`;
  const runs = samples as readonly Run[];
  const kink = kinkOf(label, at, runs);
  if (kink) return kink;
  if (!samePath(base, runs[0]) || base.pieces !== runs[0].pieces) return `an isolated point at ${at}: the code takes another path there than around it (a comparison with ===?)`;
  if (runs.some((run) => run.detached !== runs[0].detached)) return `${label} reaches the output outside the graph (through a string, Number(…), .data or .grad), where autograd does not follow it`;
  return undefined;
}

/** Checks every leaf's gradient against finite differences. Never throws for bad input. */
export async function checkGradients(source: SnippetSource, options: CheckOptions = {}): Promise<CheckResult> {
  const { tolerance = DEFAULT_TOLERANCE, onProgress, ...evaluate } = options;
  const base = await evaluateGradients(source, { ...evaluate, reuseProcess: true });
  if (!base.ok) return base;
  const { gradients } = base;
  const labels = leafLabels(gradients.leaves);
  const total = 4 * gradients.leaves.length;
  const floor = noiseFloor(gradients.output.data);
  const leaves: LeafCheck[] = [];
  // Without leaves there are no more runs: the process the first run kept must not serve anyone else.
  if (total === 0 && evaluate.reuseProcess !== true) stopSpareProcess();
  const at = total === 0 ? undefined : await sample(source, { ...evaluate, reuseProcess: true });
  if (at && !at.ok) return { ok: false, error: { message: `internal error: the snippet evaluated once, then not: ${at.message}`, line: 1, column: 1 } };
  let done = 0;
  onProgress?.(done, total);
  for (const [ordinal, leaf] of gradients.leaves.entries()) {
    const x = leaf.data;
    const h = stepFor(x);
    const samples: Sample[] = [];
    for (const point of samplePoints(x, h)) {
      done++;
      // The last run leaves the process as the caller asked (the editor: ended; the CLI: for its next file).
      const reuseProcess = done < total || evaluate.reuseProcess === true;
      samples.push(await sample(source, { ...evaluate, reuseProcess }, ordinal, point - x));
      if (evaluate.signal?.aborted) return { ok: false, error: { message: 'the check was cancelled', line: 1, column: 1 } };
      onProgress?.(done, total);
    }
    const numeric = samples.every((run) => run.ok) ? derivativeFrom(x, samples.map((run) => (run.ok ? run.value : NaN)), h) : NaN;
    const error = relativeError(leaf.grad, numeric, floor);
    const where = `${labels[ordinal]} = ${String(Number(x.toPrecision(6)))}`;
    const runs = samples.filter((run): run is Extract<Sample, { ok: true }> => run.ok);
    const kink = runs.length === samples.length ? kinkOf(labels[ordinal], where, runs) : undefined;
    // At a kink there is no derivative to confirm, even when the numbers agree (Math.abs at 0: both 0).
    const disagrees = !(error <= tolerance) || kink !== undefined;
    const reason = disagrees && at?.ok ? reasonOf(labels[ordinal], where, at, samples) : undefined;
    leaves.push({ id: leaf.id, label: labels[ordinal], data: x, autograd: leaf.grad, numeric, relativeError: error, disagrees, ...(reason ? { reason } : {}) });
  }
  const worst = leaves.reduce((largest, leaf) => (Number.isNaN(largest) || Number.isNaN(leaf.relativeError) ? NaN : Math.max(largest, leaf.relativeError)), 0);
  return { ok: true, check: { output: { label: gradients.output.label, data: gradients.output.data }, leaves, worst, tolerance } };
}
