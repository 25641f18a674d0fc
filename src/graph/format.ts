/** Numbers as every view writes them (boxes, details, hovers, the CLI), so that they read the same everywhere. */

/** A number with `digits` decimals, in exponent form when that would hide it (1e-7, 3e12). */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e9 || magnitude < 10 ** -digits)) return value.toExponential(Math.max(1, digits - 1));
  const fixed = value.toFixed(digits);
  return fixed.startsWith('-') && Number(fixed) === 0 ? fixed.slice(1) : fixed;
}
