// Template strings read values; a number parsed back from one is a constant, so no gradient flows through it.
const a = 1.25;
const b = 4.0;
const text = `a is ${a} and b is ${b.toFixed(1)}`;
const fromText = Number(`${a * 2}`);
console.log(text);
const flag = `${fromText}` === '2.5' ? 1 : 0;
fromText * b + a * b * flag + text.length;
