// A single neuron with two inputs and a tanh activation, as in micrograd's lecture.
// The bias is chosen so that the output is 1/√2; ∂o/∂w1 = 1 and ∂o/∂x1 = -1.5.
const x1 = 2.0;
const x2 = 0.0;
const w1 = -3.0;
const w2 = 1.0;
const b = 6.8813735870195432;
const n = x1 * w1 + x2 * w2 + b;
const o = Math.tanh(n);
