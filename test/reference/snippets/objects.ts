// Objects with numeric fields: literals, spread, compound assignment to fields, destructuring, bracket access.
interface Point {
  x: number;
  y: number;
}
const a = 1.5;
const b = -0.5;
const p: Point = { x: a, y: b };
const q = { ...p, z: p.x * p.y };
q.x *= 2;
q.y += q.z;
q['z']++;
const { x, y } = q;
const norm = { value: x * x + y * y, scale: 0.5 };
norm.value * norm.scale + q['z'] * p.x;
