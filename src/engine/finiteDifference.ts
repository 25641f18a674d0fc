/**
 * The numeric side of the gradient check: derivatives by central differences with Richardson
 * extrapolation, and how far autograd's gradient is from one. Pure arithmetic on values the caller
 * measured; it never sees a gradient the engine computed, except to compare with it.
 */

/**
 * The step for a leaf of value `x`: relative to its size, so that `x ± h` moves it by the same fraction
 * whatever its scale. 1e-3 balances the two errors of `richardson`: its truncation error is O(h⁴), its
 * rounding about 1e-16·|f| / h.
 */
export const stepFor = (x: number): number => 1e-3 * Math.max(1, Math.abs(x));

/**
 * The move actually made when `x` becomes `x + h` in float64: `(x + h) - x` (exact when h <= |x|, by
 * Sterbenz's lemma, and within an ulp of h otherwise), so that the difference quotient divides by the
 * step that was taken, not the one that was asked for.
 */
export const actualStep = (x: number, h: number): number => (x + h) - x;

/** The central difference D(h) = (f(x + h) - f(x - h)) / 2h, from the two values and the two actual moves. */
export const centralDifference = (plus: number, minus: number, hPlus: number, hMinus: number): number => (plus - minus) / (hPlus - hMinus);

/**
 * Richardson extrapolation of two central differences, at h and h/2: D's error is c·h² + O(h⁴), so
 * (4·D(h/2) - D(h)) / 3 cancels the h² term.
 */
export const richardson = (full: number, half: number): number => (4 * half - full) / 3;

/** Where `numericDerivative` evaluates f: x ± h, then x ± h/2 (the order of its `values`). */
export function samplePoints(x: number, h = stepFor(x)): readonly number[] {
  return [h, -h, h / 2, -h / 2].map((step) => x + actualStep(x, step));
}

/** The derivative from f at `samplePoints(x, h)` (in that order), by Richardson over central differences. */
export function derivativeFrom(x: number, values: readonly number[], h = stepFor(x)): number {
  const [plus, minus, halfPlus, halfMinus] = values;
  const full = centralDifference(plus, minus, actualStep(x, h), actualStep(x, -h));
  const half = centralDifference(halfPlus, halfMinus, actualStep(x, h / 2), actualStep(x, -h / 2));
  return richardson(full, half);
}

/** f'(x) numerically: four evaluations of f. */
export function numericDerivative(f: (x: number) => number, x: number, h = stepFor(x)): number {
  return derivativeFrom(x, samplePoints(x, h).map(f), h);
}

/**
 * How far autograd's `gradient` is from the `numeric` derivative: |G - N| / max(|G|, |N|, floor).
 * `floor` is the smallest size at which the numeric derivative is more than rounding (`noiseFloor`):
 * below it the two are compared as absolute differences at that scale, so that a true zero gradient
 * whose numeric twin is 1e-14 agrees. Two exact zeros give 0. NaN on either side gives NaN, unless both
 * are NaN (0); infinities agree only with the same infinity.
 */
export function relativeError(gradient: number, numeric: number, floor: number): number {
  if (Number.isNaN(gradient) || Number.isNaN(numeric)) return Number.isNaN(gradient) && Number.isNaN(numeric) ? 0 : NaN;
  if (gradient === numeric) return 0;
  if (!Number.isFinite(gradient) || !Number.isFinite(numeric)) return Infinity;
  return Math.abs(gradient - numeric) / Math.max(Math.abs(gradient), Math.abs(numeric), floor);
}

/**
 * The size below which a derivative of an output of value `output` is lost in rounding: finite
 * differences with `stepFor`'s steps round at about 1e-12·|output|, so 1e-6·max(1, |output|) leaves a
 * margin of a million.
 */
export const noiseFloor = (output: number): number => 1e-6 * Math.max(1, Number.isFinite(output) ? Math.abs(output) : 1);

/** The relative error above which a leaf's gradient and its numeric derivative are said to disagree. */
export const DEFAULT_TOLERANCE = 1e-6;
