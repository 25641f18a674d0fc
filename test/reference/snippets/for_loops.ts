// Horner's rule with a counting for loop, then a for…of and a for…in over the same coefficients.
const x = 0.7;
const coefficients = [1.5, -2.0, 0.25, 3.0];
let p = coefficients[0];
for (let i = 1; i < coefficients.length; i++) {
  p = p * x + coefficients[i];
}
let total = p;
for (const c of coefficients) total = total + c * c;
for (const key in coefficients) total -= coefficients[key] * x;
total;
