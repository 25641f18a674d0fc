// c is used twice: de/da = 45 and de/db = 20 at a = 2, b = 3.
const a = 2;
const b = 3;
const c = a + b;
const d = c * a;
const e = c * d;
e;
