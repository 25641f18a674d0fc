// Ternaries pick the branch taken; comparisons (=== too) read the values. The output is the last declared variable.
const x = -0.8;
const y = 1.3;
const relu = (v: number) => (v > 0 ? v : 0);
const leaky = (v: number): number => (v > 0 ? v : 0.01 * v);
const larger = x > y ? x : y;
const out = relu(x) + relu(y) * 2 + leaky(x) * larger + (x === y ? 100 : x * y);
