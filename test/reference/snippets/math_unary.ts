// The one-argument Math functions, at points inside their domains.
const x = 0.6;
const y = 2.5;
const growth = Math.exp(x) + Math.log(y) + Math.sqrt(y) + Math.tanh(x) + Math.sin(x) * Math.cos(y);
const magnitudes = Math.abs(-y) + Math.abs(x - y) + Math.log2(y) + Math.log10(y) + Math.log1p(x) + Math.expm1(x);
const trigonometry = Math.atan(x) + Math.asin(x) + Math.acos(x) + Math.tan(x) + Math.cbrt(y);
const hyperbolic = Math.sinh(x) + Math.cosh(x) + Math.asinh(y) + Math.acosh(y) + Math.atanh(x);
growth * magnitudes + trigonometry * hyperbolic;
