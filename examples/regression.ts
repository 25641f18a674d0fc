// A line y = w·x + b fitted to five points by gradient descent, with no library: the loss is the mean squared
// error, loss.backward() fills w.grad and b.grad, and each step moves w and b against them. The points lie
// near y = 2x + 1, where w and b end.
const points = [[0.0, 1.1], [1.0, 2.9], [2.0, 5.2], [3.0, 6.8], [4.0, 9.1]];
const w = 0.0;
const b = 0.0;

let loss = 0;
for (let step = 0; step < 200; step++) {
  loss = 0;
  for (const [x, y] of points) loss = loss + (w * x + b - y) ** 2;
  loss = loss / points.length;
  w.grad = 0;
  b.grad = 0;
  loss.backward();
  w.data += -0.05 * w.grad;
  b.data += -0.05 * b.grad;
  if (step % 20 === 0 || step === 199) console.log(step, loss.data, w.data, b.data);
}
loss
