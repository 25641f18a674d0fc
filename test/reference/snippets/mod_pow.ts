// % truncates like C's fmod (torch.fmod); ** with a value exponent and with constant ones.
const a = 7.5;
const b = 2.0;
const c = 1.7;
const r1 = a % b;
const r2 = -a % b;
const p1 = c ** b;
const p2 = b ** -0.5;
const p3 = (-c) ** 3;
const p4 = Math.pow(c, a / 5);
r1 + r2 * 2 + p1 + p2 + p3 + p4;
