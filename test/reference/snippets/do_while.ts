// -ln(1 - x) by its series in a do…while, with compound assignments; `sum` and `n` are leaves.
const x = 0.6;
let sum = 0;
let power = x;
let n = 1;
do {
  sum += power / n;
  power *= x;
  n += 1;
} while (n <= 20);
sum;
