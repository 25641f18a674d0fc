// An MLP 3-4-4-1 of tanh neurons, written as micrograd's lecture builds it: neuron, layer, mlp. Its loss is
// the squared error summed over 4 examples. Select it all and run Show Gradient Graph: the first picture opens
// the last example's mlp(…) around the output; click a layer(…) box to see its neurons, Ctrl+F to find a value.
const xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]];
const ys = [1.0, -1.0, -1.0, 1.0];
const W1 = [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [-0.7, 0.8, 0.9], [0.2, -0.1, 0.05]];
const b1 = [0.1, 0.2, -0.1, 0.0];
const W2 = [[0.3, -0.2, 0.1, 0.4], [-0.5, 0.6, 0.2, -0.1], [0.7, 0.1, -0.3, 0.2], [0.05, -0.4, 0.3, 0.6]];
const b2 = [0.0, -0.1, 0.2, 0.1];
const W3 = [[0.5, -0.6, 0.7, -0.8]];
const b3 = [0.05];

function neuron(w: number[], b: number, x: number[]): number {
  let act = b;
  for (let i = 0; i < x.length; i++) act = act + w[i] * x[i];
  return Math.tanh(act);
}

function layer(W: number[][], b: number[], x: number[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < W.length; j++) out.push(neuron(W[j], b[j], x));
  return out;
}

function mlp(x: number[]): number {
  const h1 = layer(W1, b1, x);
  const h2 = layer(W2, b2, h1);
  return layer(W3, b3, h2)[0];
}

let loss = 0;
for (let k = 0; k < xs.length; k++) {
  const ypred = mlp(xs[k]);
  loss = loss + (ypred - ys[k]) ** 2;
}
loss
