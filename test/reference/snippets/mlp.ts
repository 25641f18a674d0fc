// A 2-2-1 multilayer perceptron with tanh, written with arrays and functions: its mean squared error on three samples.
type Vector = number[];

const W1 = [[0.5, -0.4], [0.3, 0.8]];
const b1 = [0.1, -0.2];
const W2 = [0.7, -0.6];
const b2 = 0.05;
const xs = [[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]];
const ys = [1.0, -1.0, 0.5];

function dot(w: Vector, x: Vector): number {
  return w.reduce((sum, wi, i) => sum + wi * x[i], 0);
}

function layer(W: Vector[], b: Vector, x: Vector): Vector {
  return W.map((row, j) => Math.tanh(dot(row, x) + b[j]));
}

function mlp(x: Vector): number {
  const hidden = layer(W1, b1, x);
  return dot(W2, hidden) + b2;
}

const predictions = xs.map((x) => mlp(x));
const loss = predictions.reduce((sum, prediction, k) => sum + (prediction - ys[k]) ** 2, 0) / ys.length;
loss;
