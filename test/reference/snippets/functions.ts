// Function declarations (hoisted), arrow functions with defaults and rest parameters, an immediately called function expression.
const x = 0.9;
const y = -1.1;
const scaleBy = (v: number, k = 2) => v * k;
const sumAll = (...vs: number[]) => vs.reduce((s, v) => s + v, 0);
const result = sumAll(square(x), cube(y), scaleBy(x), scaleBy(y, 3), (function (t: number) { return -t; })(x));

function square(v: number) {
  return v * v;
}

function cube(v: number): number {
  return square(v) * v;
}

result;
