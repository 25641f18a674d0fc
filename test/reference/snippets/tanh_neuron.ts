// micrograd's neuron: two inputs, two weights, a bias, and tanh.
const x1 = 2.0;
const x2 = 0.0;
const w1 = -3.0;
const w2 = 1.0;
const b = 6.8813735870195432;
const x1w1 = x1 * w1;
const x2w2 = x2 * w2;
const x1w1x2w2 = x1w1 + x2w2;
const n = x1w1x2w2 + b;
const o = Math.tanh(n);
o;
