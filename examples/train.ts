// micrograd's training loop ("The spelled-out intro to neural networks") with its nn: an MLP of 3 inputs, two
// hidden layers of 4 tanh neurons and one output, fitted to four examples by gradient descent. The weights
// are leaves (L0.N1.w2: layer 0, neuron 1, input 2) and each call of mlp is a frame, MLP(…).
const xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]];
const ys = [1.0, -1.0, -1.0, 1.0]; // desired targets
const mlp = new MLP(3, [4, 4, 1], { activation: 'tanh' });

let loss = 0;
for (let k = 0; k < 100; k++) {
  // forward pass
  const ypred = xs.map((x) => mlp(x));
  loss = 0;
  for (let i = 0; i < ys.length; i++) loss = loss + (ypred[i] - ys[i]) ** 2;
  // backward pass
  mlp.zeroGrad();
  loss.backward();
  // update
  for (const p of mlp.parameters()) p.data += -0.05 * p.grad;
  if (k % 10 === 0 || k === 99) console.log(k, loss.data);
}
loss
