import { Tape } from './tape.ts';
import { getTape, noGrad, useTape, Value } from './value.ts';

export interface GradcheckResult {
  /** Gradients from backward, one per input. */
  readonly analytic: number[];
  /** Gradients from central finite differences, one per input. */
  readonly numeric: number[];
  /** The worst `|analytic - numeric| / max(1, |analytic|, |numeric|)` over the inputs. */
  readonly worstRelativeError: number;
  /** Index of the input with the worst error. */
  readonly worstInput: number;
}

/**
 * Compares autograd with central finite differences, `(f(x + h) - f(x - h)) / 2h`, at `inputs`.
 *
 * `fn` receives one leaf per input and returns the output; it is also run under `noGrad` for the
 * finite differences, so it must not depend on anything but its arguments. The error is relative
 * where gradients are large and absolute where they are small, so a gradient of 0 can be checked.
 */
export function gradcheck(fn: (...inputs: Value[]) => Value, inputs: readonly number[], step = 1e-6): GradcheckResult {
  // A tape of its own, so that the caller's gradients are left as they were.
  const callersTape = getTape();
  const tape = useTape(new Tape());
  let analytic: number[];
  try {
    const leaves = inputs.map((x, index) => new Value(x, `x${index}`, tape));
    fn(...leaves).backward();
    analytic = leaves.map((leaf) => leaf.grad);
  } finally {
    useTape(callersTape);
  }
  const at = (shifted: number[]) => noGrad(() => fn(...shifted.map((x) => new Value(x))).data);
  const numeric = inputs.map((x, index) => {
    const plus = [...inputs];
    const minus = [...inputs];
    plus[index] = x + step;
    minus[index] = x - step;
    return (at(plus) - at(minus)) / (2 * step);
  });
  let worstRelativeError = 0;
  let worstInput = 0;
  analytic.forEach((a, index) => {
    const n = numeric[index];
    const error = Math.abs(a - n) / Math.max(1, Math.abs(a), Math.abs(n));
    if (!(error <= worstRelativeError)) {
      worstRelativeError = error;
      worstInput = index;
    }
  });
  return { analytic, numeric, worstRelativeError, worstInput };
}
