"""Reference values for the engine's tests, computed independently with PyTorch (Debian's python3-torch).

Run `/usr/bin/python3 test/reference/engine_reference.py > test/reference/engine.json` to regenerate.
Every value is a float64 0-d tensor, so the engine must agree to the last digit or close to it.
"""
import json
import math
import torch

torch.set_num_threads(1)
d = torch.float64


def grads(fn, *xs):
    leaves = [torch.tensor(x, dtype=d, requires_grad=True) for x in xs]
    out = fn(*leaves)
    out.backward()
    return {"inputs": list(xs), "data": out.item(), "grads": [(l.grad.item() if l.grad is not None else 0.0) for l in leaves]}


def num(x):
    # JSON has no NaN or Infinity: spell them as strings the tests turn back into numbers.
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return repr(x)
    return x


def clean(obj):
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [clean(v) for v in obj]
    return num(obj)


unary = {
    "neg": torch.neg, "exp": torch.exp, "log": torch.log, "log2": torch.log2, "log10": torch.log10,
    "log1p": torch.log1p, "expm1": torch.expm1, "sqrt": torch.sqrt, "tanh": torch.tanh,
    "sigmoid": torch.sigmoid, "relu": torch.relu, "sin": torch.sin, "cos": torch.cos, "tan": torch.tan,
    "asin": torch.asin, "acos": torch.acos, "atan": torch.atan, "sinh": torch.sinh, "cosh": torch.cosh,
    "asinh": torch.asinh, "acosh": torch.acosh, "atanh": torch.atanh, "abs": torch.abs,
    "floor": torch.floor, "ceil": torch.ceil, "trunc": torch.trunc, "sign": torch.sign,
}
unary_points = {
    "default": [-1.7, -0.3, 0.0, 0.4, 2.5],
    "log": [0.3, 1.0, 2.5, 0.0, -1.0], "log2": [0.3, 1.0, 2.5], "log10": [0.3, 1.0, 2.5],
    "log1p": [-0.5, 0.0, 2.5], "sqrt": [0.25, 2.0, 9.0, 0.0], "asin": [-0.5, 0.0, 0.9],
    "acos": [-0.5, 0.0, 0.9], "acosh": [1.5, 3.0], "atanh": [-0.5, 0.0, 0.9],
}
binary = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "mod": torch.fmod,
    "pow": torch.pow, "atan2": torch.atan2, "hypot": torch.hypot,
}
binary_points = {
    "default": [(2.0, -3.0), (-1.5, 0.5), (0.7, 4.0), (3.0, 3.0)],
    "pow": [(2.0, 3.0), (1.5, -0.5), (0.0, 2.0), (-2.0, 3.0), (-2.0, 0.5), (0.0, 0.0), (3.0, 0.0)],
    "mod": [(5.5, 2.0), (-5.5, 2.0), (7.0, -3.0)],
}

cases = []
for name, fn in unary.items():
    for x in unary_points.get(name, unary_points["default"]):
        cases.append({"op": name, **grads(fn, x)})
for name, fn in binary.items():
    for x, y in binary_points.get(name, binary_points["default"]):
        cases.append({"op": name, **grads(fn, x, y)})
# pow with a constant exponent: torch.pow(tensor, python float)
for x, c in [(2.0, 2.0), (-3.0, 2.0), (1.5, 3.0), (4.0, 0.5), (4.0, -0.5), (2.0, -1.0), (2.0, -2.0), (1.7, 2.3), (-2.0, 0.5), (0.0, 0.0), (-1.5, 0.0)]:
    cases.append({"op": "powConst", "constant": c, **grads(lambda t: torch.pow(t, c), x)})
# n-ary max/min as a reduction over stacked inputs: ties split the gradient evenly
for name, fn in {"max": lambda *t: torch.stack(t).max(), "min": lambda *t: torch.stack(t).min()}.items():
    for xs in [(1.0, 3.0, 2.0), (3.0, 3.0), (2.0, 5.0, 5.0, 1.0), (-1.0,)]:
        cases.append({"op": name, **grads(fn, *xs)})
for xs in [(1.0, 2.0, 3.0), (-1.5, 4.0)]:
    cases.append({"op": "sum", **grads(lambda *t: torch.stack(t).sum(), *xs)})
# Math.hypot of three or more inputs, one node: the 2-norm of the stacked inputs
for xs in [(1.2, 2.3, 0.7), (3.0, -4.0, 12.0, 0.5)]:
    cases.append({"op": "hypotN", **grads(lambda *t: torch.linalg.vector_norm(torch.stack(t)), *xs)})
# maximum/minimum, binary, as PyTorch's elementwise ops
for x, y in [(2.0, 2.0), (1.0, 3.0)]:
    cases.append({"op": "max", "binary": True, **grads(torch.maximum, x, y)})
    cases.append({"op": "min", "binary": True, **grads(torch.minimum, x, y)})

# micrograd's two engine tests, and the worked examples of the course notes
def sanity(x):
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    return h + q + q * x


def more_ops(a, b):
    c = a + b
    d = a * b + b ** 3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g = g + 10.0 / f
    return g


def accumulate(a, b):
    c = a + b
    d = c * a
    return c * d


def neuron(x1, x2, w1, w2, b):
    return (x1 * w1 + x2 * w2 + b).tanh()


examples = {
    "sanity": grads(sanity, -4.0),
    "moreOps": grads(more_ops, -4.0, 2.0),
    "accumulate": grads(accumulate, 2.0, 3.0),
    "neuron": grads(neuron, 2.0, 0.0, -3.0, 1.0, 6.8813735870195432),
    "micrograd_L": grads(lambda a, b, c, f: (a * b + c) * f, 2.0, -3.0, 10.0, -2.0),
}



def optimize(make, steps=5):
    """Minimises (p - 3)^2 + (q + 1)^4 from p = 0, q = 0.5 and returns the parameters after each step."""
    p = torch.tensor(0.0, dtype=d, requires_grad=True)
    q = torch.tensor(0.5, dtype=d, requires_grad=True)
    optimizer = make([p, q])
    trace = []
    for _ in range(steps):
        optimizer.zero_grad()
        ((p - 3) ** 2 + (q + 1) ** 4).backward()
        optimizer.step()
        trace.append([p.item(), q.item()])
    return trace


optimizers = {
    "sgdMomentum": optimize(lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9)),
    "adam": optimize(lambda ps: torch.optim.Adam(ps, lr=0.1)),
}

print(json.dumps(clean({"torch": torch.__version__, "cases": cases, "examples": examples, "optimizers": optimizers}), indent=1))
