// micrograd's first worked example (Karpathy, "The spelled-out intro to neural networks and backpropagation").
const a = 2.0;
const b = -3.0;
const c = 10.0;
const e = a * b;
const d = e + c;
const f = -2.0;
const L = d * f;
L;
