// Unary minus and plus on values, nested parentheses, and subtraction's order.
const a = 1.5;
const b = -2.0;
const c = -(a - b) * -(-a) + +b - (-(a * b)) - (a - (b - a));
c;
