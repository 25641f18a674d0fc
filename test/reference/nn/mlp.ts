// The lesson's training loop with nn's MLP (3 -> 4 -> 4 -> 1, tanh hidden layers): 20 epochs of SGD, lr 0.05.
const xs = [[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]];
const ys = [1, -1, -1, 1];
const mlp = new MLP(3, [4, 4, 1], { activation: 'tanh' });
let loss = 0;
for (let epoch = 0; epoch < 20; epoch++) {
  const ypred = xs.map((x) => mlp(x));
  loss = 0;
  for (let k = 0; k < ys.length; k++) loss = loss + (ypred[k] - ys[k]) ** 2;
  mlp.zeroGrad();
  loss.backward();
  for (const p of mlp.parameters()) p.data += -0.05 * p.grad;
  console.log(loss.data);
}
loss
