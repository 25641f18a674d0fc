// Nested loops with continue and a labelled break: skipped and unreached elements get gradient 0.
const M = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
const v = [0.5, -0.25];
let out = 0;
outer: for (let i = 0; i < M.length; i++) {
  for (let j = 0; j < v.length; j++) {
    if (M[i][j] === 2) continue;
    if (i === 2 && j === 1) break outer;
    out += M[i][j] * v[j];
  }
}
out;
