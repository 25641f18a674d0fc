// Closures over leaves and over a mutable local.
const k = 1.5;
const bias = -0.25;

function makeAffine(scale: number) {
  return (v: number) => v * scale + bias;
}

function counter() {
  let total = 0;
  return (v: number) => {
    total += v;
    return total;
  };
}

const double = makeAffine(2);
const byK = makeAffine(k);
const add = counter();
add(k);
add(bias);
const x = 0.75;
const result = byK(double(x)) + add(x * x);
result;
