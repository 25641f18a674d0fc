// A 2-layer perceptron (2 inputs, 3 hidden tanh units, 1 output) and its squared-error loss on two
// examples. Every weight is a leaf: its gradient is what one step of gradient descent would follow.
const W1 = [[0.5, -0.3], [0.8, 0.2], [-0.6, 0.4]];
const b1 = [0.1, -0.1, 0.05];
const W2 = [0.7, -0.5, 0.3];
const b2 = 0.2;

function layer(weights: number[][], biases: number[], inputs: number[]): number[] {
  return weights.map((row, i) => Math.tanh(row.reduce((sum, w, j) => sum + w * inputs[j], biases[i])));
}

function predict(x: number[]): number {
  const hidden = layer(W1, b1, x);
  return hidden.reduce((sum, h, i) => sum + W2[i] * h, b2);
}

const examples: Array<{ x: number[]; y: number }> = [
  { x: [1.0, 2.0], y: 1.0 },
  { x: [-1.0, 0.5], y: -1.0 },
];
let loss = 0;
for (const { x, y } of examples) {
  const error = predict(x) - y;
  loss += error ** 2;
}
loss
