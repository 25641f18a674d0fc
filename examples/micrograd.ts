// micrograd's first example (Andrej Karpathy, "The spelled-out intro to neural networks").
// Select the lines below and run "Show Gradient Graph" (Ctrl+Alt+G): ∂L/∂a = 6, ∂L/∂b = -4.
const a = 2.0;
const b = -3.0;
const c = 10.0;
const f = -2.0;
const e = a * b;
const d = e + c;
const L = d * f;
