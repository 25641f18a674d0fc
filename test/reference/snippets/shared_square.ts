// x * x, x + x, and a node used three times: every use adds to the gradient.
const x = 3.0;
const z = -0.5;
const square = x * x;
const twice = z + z;
square + x + x + twice * twice * z;
