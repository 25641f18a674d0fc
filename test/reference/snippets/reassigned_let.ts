// A reassigned let leaf: the leaf keeps its initial value 2; the later values are new nodes named x.
let x = 2.0;
const k = 0.5;
x = x * 3;
x = x + k;
x *= x;
x;
