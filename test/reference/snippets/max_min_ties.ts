// Ties in Math.max and Math.min share the gradient evenly, as torch.stack(...).max() does.
const a = 2.0;
const b = 2.0;
const c = 2.0;
const d = -1.0;
const e = -1.0;
Math.max(a, b) * 3 + Math.max(a, b, c) * 6 + Math.min(d, e) * 4 + Math.max(d, a, e) + Math.min(a, d, e) * 10;
