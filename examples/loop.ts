// A loop: x is updated five times, each update is a new value named x, and the gradient flows back
// through every iteration to the leaf x0. Calls and iterations can be collapsed in the panel.
const x0 = 0.5;
const rate = 0.9;
let x = x0;
for (let step = 0; step < 5; step++) {
  x = x * rate + 0.1 * Math.sin(x);
}
console.log('x after the loop:', x);
const y = x * x;
