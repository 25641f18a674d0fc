// Newton's method for √a until it converges; `steps` is a leaf (a top-level let of a literal) that ++ moves.
const a = 3.0;
let y = a;
let steps = 0;
while (Math.abs(y * y - a) > 1e-12) {
  y = (y + a / y) / 2;
  steps++;
}
y * steps;
