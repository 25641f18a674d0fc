"""Reference values for the tests of micrograd's `nn` in snippets (test/snippet/nn.test.ts), computed
independently in float64 PyTorch (Debian's python3-torch).

The initial weights are drawn here with the same algorithm as src/engine/random.ts (mulberry32, seed 1337,
uniform in [-1, 1) in the order layer, neuron, input; biases 0), written again in Python. The training
is the lesson of micrograd ("The spelled-out intro to neural networks"): MLP 3 -> 4 -> 4 -> 1 with tanh
hidden layers and a linear output, the loss the sum of squared errors over four examples, gradients
zeroed before each backward, and `p.data += -lr * p.grad` under torch.no_grad().

Run `/usr/bin/python3 test/reference/nn_reference.py > test/reference/nn.json` to regenerate.
"""
import json
import torch

torch.set_num_threads(1)
d = torch.float64
M = 0xFFFFFFFF

XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]
SIZES = [3, 4, 4, 1]


def mulberry32(seed):
    """src/engine/random.ts's `next()`: every operation there is modulo 2**32, so unsigned ints give the same bits."""
    state = seed & M

    def next_float():
        nonlocal state
        state = (state + 0x6D2B79F5) & M
        t = state
        t = ((t ^ (t >> 15)) * (t | 1)) & M
        t = (t ^ ((t + (((t ^ (t >> 7)) * (t | 61)) & M)) & M)) & M
        return ((t ^ (t >> 14)) & M) / 4294967296

    return next_float


def initial_weights(sizes, seed=1337):
    """[layer][neuron] = (w, b) as floats, drawn in nn.py's order from one generator."""
    rand = mulberry32(seed)
    return [[([-1 + 2 * rand() for _ in range(nin)], 0.0) for _ in range(nout)] for nin, nout in zip(sizes, sizes[1:])]


def tensors(weights):
    return [[(torch.tensor(w, dtype=d, requires_grad=True), torch.tensor(b, dtype=d, requires_grad=True)) for w, b in layer] for layer in weights]


def parameters(net):
    """nn.py's order: layer by layer, neuron by neuron, w0 ... w(n-1), b."""
    return [p for layer in net for w, b in layer for p in [*w.unbind(), b]]


def forward(net, x, activation, bias_first):
    """The engine's neuron sums w0*x0 + ... + b left to right; the lesson's own classes start from b."""
    values = [torch.tensor(v, dtype=d) for v in x]
    for index, layer in enumerate(net):
        outputs = []
        for w, b in layer:
            total = b if bias_first else torch.tensor(0.0, dtype=d)
            for k, xk in enumerate(values):
                total = total + w[k] * xk
            if not bias_first:
                total = total + b
            outputs.append(activation(total) if index < len(net) - 1 else total)
        values = outputs
    return values[0]


def train(epochs, lr, bias_first):
    net = tensors(initial_weights(SIZES))
    params = [p for layer in net for w, b in layer for p in (w, b)]
    losses = []
    for _ in range(epochs):
        predictions = [forward(net, x, torch.tanh, bias_first) for x in XS]
        loss = torch.tensor(0.0, dtype=d)
        for prediction, y in zip(predictions, YS):
            loss = loss + (prediction - y) ** 2
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p += -lr * p.grad
        losses.append(loss.item())
    return {"losses": losses, "parameters": [p.item() for p in parameters(net)]}


def optimized(make_optimizer, steps):
    """`steps` steps of a torch.optim optimizer on the mean squared error of the MLP's predictions."""
    net = tensors(initial_weights(SIZES))
    params = [p for layer in net for w, b in layer for p in (w, b)]
    optimizer = make_optimizer(params)
    losses = []
    for _ in range(steps):
        predictions = torch.stack([forward(net, x, torch.tanh, False) for x in XS])
        loss = ((predictions - torch.tensor(YS, dtype=d)) ** 2).sum() / len(YS)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return {"losses": losses, "parameters": [p.item() for p in parameters(net)]}


def accumulated():
    """Two backward passes of one loss without zeroing: every gradient is twice the loss's own."""
    net = tensors(initial_weights(SIZES))
    loss = torch.tensor(0.0, dtype=d)
    for x, y in zip(XS, YS):
        loss = loss + (forward(net, x, torch.tanh, False) - y) ** 2
    loss.backward(retain_graph=True)
    loss.backward()
    return {"loss": loss.item(), "grads": [g.item() for g in parameters(tensors_grads(net))]}


def tensors_grads(net):
    """`parameters` reads values; for gradients, a view whose leaves are the gradients."""
    return [[(w.grad, b.grad) for w, b in layer] for layer in net]


def relu_modules():
    """A standalone Neuron(3) and Layer(3, 2): relu, each with its own generator seeded 1337, on [2, 3, -1]."""
    x = [2.0, 3.0, -1.0]
    neuron = tensors(initial_weights([3, 1]))
    layer_weights = initial_weights([3, 2])
    layer = tensors(layer_weights)
    return {
        "neuron": torch.relu(forward(neuron, x, None, False)).item(),
        "layer": [torch.relu(forward([[pair]], x, None, False)).item() for pair in layer[0]],
        "layerWeights": [v for w, b in layer_weights[0] for v in [*w, b]],
    }


print(json.dumps({
    "initialWeights": initial_weights(SIZES),
    "mlpSeed7": [v for layer in initial_weights(SIZES, 7) for w, b in layer for v in [*w, b]],
    "sgd": train(20, 0.05, False),
    "sgdBiasFirst": train(20, 0.05, True),
    "adam": optimized(lambda params: torch.optim.Adam(params, lr=0.01), 5),
    "momentum": optimized(lambda params: torch.optim.SGD(params, lr=0.02, momentum=0.9), 5),
    "accumulated": accumulated(),
    "relu": relu_modules(),
}, indent=1))
