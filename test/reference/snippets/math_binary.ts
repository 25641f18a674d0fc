// Math.pow, hypot of two and three arguments, atan2, max and min with a constant, and the constants.
const x = 1.2;
const y = -0.7;
const z = 2.0;
const h2 = Math.hypot(x, y);
const h3 = Math.hypot(x, y, z);
const angle = Math.atan2(y, x);
const p = Math.pow(z, x) + Math.pow(x, 3);
const area = Math.PI * z ** 2 + Math.E * x + Math.SQRT2 * y + Math.LN2;
const m = Math.max(x, y, z) - Math.min(x, y, 0.5);
h2 + h3 * angle + p + area + m;
