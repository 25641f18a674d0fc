// if / else if / else picks one branch per call; && and || return one of their operands.
function piecewise(x: number): number {
  if (x < 0) {
    return -x * x;
  } else if (x < 1) {
    return 3 * x;
  } else {
    return Math.sqrt(x) + 2;
  }
}
const p = -1.5;
const q = 0.4;
const r = 4.0;
const s = 2.0;
let total = piecewise(p) + piecewise(q) + piecewise(r);
if (total > 100) {
  total = total * 0;
} else {
  total = total * s;
}
const pick = (q > 1 && q) || r;
const other = (p < 0 && q) || s;
total + pick * other;
