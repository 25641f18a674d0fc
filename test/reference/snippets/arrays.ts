// Arrays: indexing, .map with an index, .reduce without a seed, spread into an array and into Math.max, .filter, destructuring.
const xs = [0.5, -1.25, 2.0, 0.75];
const scale = 3.0;
const squares = xs.map((x) => x * x);
const scaled = xs.map((x, i) => x * scale + i);
const joined = [...squares, ...scaled, scale];
const total = joined.reduce((acc, v) => acc + v);
const positive = xs.filter((x) => x > 0);
const biggest = Math.max(...xs);
const [first, second] = xs;
total / joined.length + biggest * first - second + positive.length + xs[3] * xs[2];
