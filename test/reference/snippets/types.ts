// Interfaces, type aliases (generic too), annotations, `as`, `!`, `satisfies`, a class with a parameter property: all stripped.
interface Layer {
  weight: number;
  bias: number;
}
type Activation = (v: number) => number;
type Pair<T> = [T, T];

const w = 0.8;
const bias = -0.3;
const input: number = 1.7;
const layer: Layer = { weight: w, bias };
const act: Activation = (v: number): number => Math.tanh(v);

function apply(l: Layer, x: number, f: Activation = act): number {
  return f(l.weight * x + l.bias);
}

class Scaler {
  constructor(private readonly factor: number) {}
  scale(v: number): number {
    return v * this.factor;
  }
}

const config = { gain: 2 } satisfies Record<string, number>;
const pair: Pair<number> = [apply(layer, input), apply(layer, -input) as number];
const scaler = new Scaler(w);
const result: number = scaler.scale(pair[0]!) * config.gain - (pair[1] as number);
result;
