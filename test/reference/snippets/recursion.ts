// A recursive power and a recursive sum over an array.
function power(base: number, n: number): number {
  return n === 0 ? 1 : base * power(base, n - 1);
}

function sumTo(values: number[], k: number): number {
  if (k < 0) return 0;
  return values[k] + sumTo(values, k - 1);
}

const x = 1.3;
const w = [0.5, -1.5, 2.0];
power(x, 5) * sumTo(w, w.length - 1);
