// floor, ceil, round, trunc and sign have gradient 0: only the paths around them carry gradient.
const x = 2.7;
const y = -1.3;
const f = x * Math.floor(x) + Math.ceil(y) * y + Math.round(x) + Math.trunc(y) + Math.sign(y) * 5 + Math.floor(x * y);
