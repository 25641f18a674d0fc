// Gradients accumulate: c is used twice (in d and in e), so ∂e/∂c sums both paths.
// ∂e/∂a = 45 and ∂e/∂b = 20 (a hand derivation that forgets the accumulation finds 35 and 10).
const a = 2;
const b = 3;
const c = a + b;
const d = c * a;
const e = c * d;
