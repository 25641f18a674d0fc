// The lesson's own classes (they shadow nn's globals), from the same literal weights; the neuron starts
// its sum from the bias, as the lesson's `sum((wi*xi for wi, xi in zip(self.w, x)), self.b)`.
const W0 = [[-0.6311763348057866, -0.6200214973650873, 0.6209439844824374], [0.28749764431267977, -0.13845076877623796, -0.23790820594877005], [0.05312529765069485, 0.09717274410650134, 0.0880099362693727], [0.08724706340581179, 0.3210875145159662, -0.6186124822124839]];
const B0 = [0.0, 0.0, 0.0, 0.0];
const W1 = [[-0.08974259626120329, -0.2097278879955411, -0.5949986730702221, 0.5962733887135983], [0.13043400505557656, 0.8557910956442356, 0.2619615769945085, -0.8290044055320323], [-0.6016559032723308, -0.5822467925027013, -0.09594916086643934, -0.4191456073895097], [-0.1763449227437377, 0.46325055602937937, 0.45329624554142356, -0.6178857297636569]];
const B1 = [0.0, 0.0, 0.0, 0.0];
const W2 = [[-0.7551215086132288, 0.3480808297172189, -0.6352230124175549, 0.48899643775075674]];
const B2 = [0.0];
const xs = [[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]];
const ys = [1, -1, -1, 1];

class Neuron {
  constructor(public w: number[], public b: number, public nonlin: boolean) {}
  call(x: number[]): number {
    let act = this.b;
    for (let i = 0; i < this.w.length; i++) act = act + this.w[i] * x[i];
    return this.nonlin ? Math.tanh(act) : act;
  }
  parameters(): number[] {
    return [...this.w, this.b];
  }
}

class Layer {
  neurons: Neuron[];
  constructor(W: number[][], B: number[], nonlin: boolean) {
    this.neurons = W.map((w, n) => new Neuron(w, B[n], nonlin));
  }
  call(x: number[]): number[] {
    return this.neurons.map((n) => n.call(x));
  }
  parameters(): number[] {
    return this.neurons.flatMap((n) => n.parameters());
  }
}

class MLP {
  layers: Layer[];
  constructor(layers: Layer[]) {
    this.layers = layers;
  }
  call(x: number[]): number {
    let out = x;
    for (const layer of this.layers) out = layer.call(out);
    return out[0];
  }
  parameters(): number[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }
}

const mlp = new MLP([new Layer(W0, B0, true), new Layer(W1, B1, true), new Layer(W2, B2, false)]);
let loss = 0;
for (let epoch = 0; epoch < 20; epoch++) {
  const ypred = xs.map((x) => mlp.call(x));
  loss = 0;
  for (let k = 0; k < ys.length; k++) loss = loss + (ypred[k] - ys[k]) ** 2;
  for (const p of mlp.parameters()) p.grad = 0;
  loss.backward();
  for (const p of mlp.parameters()) p.data += -0.05 * p.grad;
  console.log(loss.data);
}
loss
