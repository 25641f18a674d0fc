/**
 * A micrograd-style engine, ported line for line to TypeScript: the baseline every tutorial engine is.
 *
 * Each operation makes a `Value` object that keeps its inputs in `_prev` and a `_backward` closure that
 * pushes its gradient to them; `backward()` orders the graph with a recursive depth-first topological
 * sort and a visited set, then calls every closure in reverse. This is what the bundled engine's tape
 * replaces, so the benchmark measures the two side by side.
 *
 * Two departures from micrograd, both in the closure port's favour and both so that it builds the same
 * graph as the engine (the benchmark divides every implementation's time by the engine's node count):
 * `sub` and `div` are one node each (micrograd builds `a + (-b)` and `a * b**-1`), and `sum` is one
 * n-ary node, like the engine's `Value.sum`. `sin` is added for workload W1.
 */
export class Value {
  data: number;
  grad = 0;
  _backward: () => void = noop;
  readonly _prev: Value[];
  readonly _op: string;

  constructor(data: number, children: Value[] = [], op = '') {
    this.data = data;
    this._prev = children;
    this._op = op;
  }

  add(other: Value | number): Value {
    const that = toValue(other);
    const out = new Value(this.data + that.data, [this, that], '+');
    out._backward = () => {
      this.grad += out.grad;
      that.grad += out.grad;
    };
    return out;
  }

  sub(other: Value | number): Value {
    const that = toValue(other);
    const out = new Value(this.data - that.data, [this, that], '-');
    out._backward = () => {
      this.grad += out.grad;
      that.grad -= out.grad;
    };
    return out;
  }

  mul(other: Value | number): Value {
    const that = toValue(other);
    const out = new Value(this.data * that.data, [this, that], '*');
    out._backward = () => {
      this.grad += that.data * out.grad;
      that.grad += this.data * out.grad;
    };
    return out;
  }

  /** Same floating-point steps as the engine's `div`, so gradients agree to the last digit. */
  div(other: Value | number): Value {
    const that = toValue(other);
    const out = new Value(this.data / that.data, [this, that], '/');
    out._backward = () => {
      this.grad += out.grad / that.data;
      that.grad += -out.grad * (this.data / that.data / that.data);
    };
    return out;
  }

  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, [this], 'tanh');
    out._backward = () => {
      this.grad += out.grad * (1 - t * t);
    };
    return out;
  }

  sin(): Value {
    const out = new Value(Math.sin(this.data), [this], 'sin');
    out._backward = () => {
      this.grad += out.grad * Math.cos(this.data);
    };
    return out;
  }

  static sum(values: Value[]): Value {
    let total = 0;
    for (const value of values) total += value.data;
    const out = new Value(total, values, 'sum');
    out._backward = () => {
      for (const value of values) value.grad += out.grad;
    };
    return out;
  }

  /** micrograd's `backward`: recursive topological sort, then the closures in reverse order. */
  backward(): void {
    const topo: Value[] = [];
    const visited = new Set<Value>();
    const buildTopo = (v: Value): void => {
      if (!visited.has(v)) {
        visited.add(v);
        for (const child of v._prev) buildTopo(child);
        topo.push(v);
      }
    };
    buildTopo(this);
    this.grad = 1;
    for (let index = topo.length - 1; index >= 0; index--) topo[index]._backward();
  }
}

function noop(): void {}

/** micrograd wraps a plain number in a fresh `Value` on every use, as the engine records a constant. */
function toValue(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x);
}
