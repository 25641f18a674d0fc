"""Reference values for the snippet evaluator's tests, computed independently with PyTorch (Debian's python3-torch).

Each case is one file of test/reference/snippets/NAME.ts written again here in PyTorch: every leaf of the
snippet (a top-level const/let initialised by a number literal, or an element of a top-level array of
number literals) is a float64 0-d tensor with requires_grad, and everything else follows the snippet's
code, branch for branch (control flow reads `.item()`, as the snippet's comparisons read the values).

Run `/usr/bin/python3 test/reference/snippet_reference.py > test/reference/snippets.json` to regenerate.
The output is, for each case, the output's value and the gradient of the output with respect to each leaf
label (0 for leaves the output does not depend on).
"""
import json
import math
import torch

torch.set_num_threads(1)
d = torch.float64


def t(x):
    """A constant: a number literal inside an expression."""
    return torch.tensor(x, dtype=d)


def run(leaves, fn):
    tensors = {name: torch.tensor(value, dtype=d, requires_grad=True) for name, value in leaves.items()}
    out = fn(tensors)
    out.backward()
    return {
        "output": out.item(),
        "grads": {name: (x.grad.item() if x.grad is not None else 0.0) for name, x in tensors.items()},
    }


def array(name, values):
    """The leaves of a top-level array literal: w[0], w[1] or W[1][0]."""
    leaves = {}

    def walk(label, value):
        if isinstance(value, list):
            for index, item in enumerate(value):
                walk(f"{label}[{index}]", item)
        else:
            leaves[label] = value

    walk(name, values)
    return leaves


def nested(v, name, shape):
    """The tensors of array `name` as nested lists of `shape` (a list of row lengths, or a length)."""
    if isinstance(shape, int):
        return [v[f"{name}[{i}]"] for i in range(shape)]
    return [[v[f"{name}[{i}][{j}]"] for j in range(n)] for i, n in enumerate(shape)]


def js_max(*xs):
    """Math.max over values: a reduction, so ties share the gradient evenly (evenly_distribute_backward)."""
    return torch.stack([x if torch.is_tensor(x) else t(x) for x in xs]).max()


def js_min(*xs):
    return torch.stack([x if torch.is_tensor(x) else t(x) for x in xs]).min()


cases = {}


def case(name, leaves):
    def register(fn):
        cases[name] = run(leaves, fn)
        return fn
    return register


@case("micrograd_L", {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0})
def _(v):
    e = v["a"] * v["b"]
    dd = e + v["c"]
    return dd * v["f"]


NEURON = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


@case("tanh_neuron", NEURON)
def _(v):
    n = v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]
    return torch.tanh(n)


@case("neuron_exp", NEURON)
def _(v):
    n = v["x1"] * v["w1"] + v["x2"] * v["w2"] + v["b"]
    e = torch.exp(2 * n)
    return (e - 1) / (e + 1)


MLP = {
    **array("W1", [[0.5, -0.4], [0.3, 0.8]]), **array("b1", [0.1, -0.2]), **array("W2", [0.7, -0.6]), "b2": 0.05,
    **array("xs", [[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]]), **array("ys", [1.0, -1.0, 0.5]),
}


@case("mlp", MLP)
def _(v):
    W1, b1, W2 = nested(v, "W1", [2, 2]), nested(v, "b1", 2), nested(v, "W2", 2)
    xs, ys = nested(v, "xs", [2, 2, 2]), nested(v, "ys", 3)

    def dot(w, x):
        total = 0
        for wi, xi in zip(w, x):
            total = total + wi * xi
        return total

    def mlp(x):
        hidden = [torch.tanh(dot(row, x) + b1[j]) for j, row in enumerate(W1)]
        return dot(W2, hidden) + v["b2"]

    loss = 0
    for x, y in zip(xs, ys):
        loss = loss + (mlp(x) - y) ** 2
    return loss / 3


@case("for_loops", {"x": 0.7, **array("coefficients", [1.5, -2.0, 0.25, 3.0])})
def _(v):
    x, cs = v["x"], nested(v, "coefficients", 4)
    p = cs[0]
    for c in cs[1:]:
        p = p * x + c
    total = p
    for c in cs:
        total = total + c * c
    for c in cs:
        total = total - c * x
    return total


@case("while_loop", {"a": 3.0, "steps": 0.0})
def _(v):
    a, steps = v["a"], v["steps"]
    y = a
    while abs((y * y - a).item()) > 1e-12:
        y = (y + a / y) / 2
        steps = steps + 1
    return y * steps


@case("do_while", {"x": 0.6, "sum": 0.0, "n": 1.0})
def _(v):
    x, total, n = v["x"], v["sum"], v["n"]
    power = x
    while True:
        total = total + power / n
        power = power * x
        n = n + 1
        if not n.item() <= 20:
            break
    return total


@case("if_else", {"p": -1.5, "q": 0.4, "r": 4.0, "s": 2.0})
def _(v):
    p, q, r, s = v["p"], v["q"], v["r"], v["s"]

    def piecewise(x):
        if x.item() < 0:
            return -x * x
        if x.item() < 1:
            return 3 * x
        return torch.sqrt(x) + 2

    total = piecewise(p) + piecewise(q) + piecewise(r)
    total = total * 0 if total.item() > 100 else total * s
    pick = r  # (q > 1 && q) || r: q > 1 is false, so r
    other = q  # (p < 0 && q) || s: p < 0 is true, so q (truthy)
    return total + pick * other


@case("ternary", {"x": -0.8, "y": 1.3})
def _(v):
    x, y = v["x"], v["y"]

    def relu(u):
        return u if u.item() > 0 else 0

    def leaky(u):
        return u if u.item() > 0 else 0.01 * u

    larger = x if x.item() > y.item() else y
    return relu(x) + relu(y) * 2 + leaky(x) * larger + (100 if x.item() == y.item() else x * y)


@case("recursion", {"x": 1.3, **array("w", [0.5, -1.5, 2.0])})
def _(v):
    w = nested(v, "w", 3)

    def power(base, n):
        return 1 if n == 0 else base * power(base, n - 1)

    def sum_to(values, k):
        return 0 if k < 0 else values[k] + sum_to(values, k - 1)

    return power(v["x"], 5) * sum_to(w, 2)


@case("closures", {"k": 1.5, "bias": -0.25, "x": 0.75})
def _(v):
    k, bias, x = v["k"], v["bias"], v["x"]

    def make_affine(scale):
        return lambda u: u * scale + bias

    state = {"total": 0}

    def add(u):
        state["total"] = state["total"] + u
        return state["total"]

    double, by_k = make_affine(2), make_affine(k)
    add(k)
    add(bias)
    return by_k(double(x)) + add(x * x)


@case("arrays", {**array("xs", [0.5, -1.25, 2.0, 0.75]), "scale": 3.0})
def _(v):
    xs, scale = nested(v, "xs", 4), v["scale"]
    squares = [x * x for x in xs]
    scaled = [x * scale + i for i, x in enumerate(xs)]
    joined = squares + scaled + [scale]
    total = joined[0]
    for item in joined[1:]:
        total = total + item
    positive = len([x for x in xs if x.item() > 0])
    biggest = js_max(*xs)
    first, second = xs[0], xs[1]
    return total / len(joined) + biggest * first - second + positive + xs[3] * xs[2]


@case("objects", {"a": 1.5, "b": -0.5})
def _(v):
    p = {"x": v["a"], "y": v["b"]}
    q = {**p, "z": p["x"] * p["y"]}
    q["x"] = q["x"] * 2
    q["y"] = q["y"] + q["z"]
    q["z"] = q["z"] + 1
    x, y = q["x"], q["y"]
    norm = {"value": x * x + y * y, "scale": 0.5}
    return norm["value"] * norm["scale"] + q["z"] * p["x"]


@case("compound", {"x": 1.5, "y": 0.8})
def _(v):
    x, y = v["x"], v["y"]
    acc = x + y
    acc = acc + x
    acc = acc - y * 0.5
    acc = acc * y
    acc = acc / x
    acc = acc ** 2
    acc = torch.fmod(acc, 3)
    acc = acc + 1
    acc = acc - 1
    acc = acc + 1
    before = acc
    acc = acc + 1
    acc = acc - 1
    return before * acc


@case("mod_pow", {"a": 7.5, "b": 2.0, "c": 1.7})
def _(v):
    a, b, c = v["a"], v["b"], v["c"]
    r1 = torch.fmod(a, b)
    r2 = torch.fmod(-a, b)
    p1 = torch.pow(c, b)
    p2 = b ** -0.5
    p3 = (-c) ** 3
    p4 = torch.pow(c, a / 5)
    return r1 + r2 * 2 + p1 + p2 + p3 + p4


@case("math_unary", {"x": 0.6, "y": 2.5})
def _(v):
    x, y = v["x"], v["y"]
    growth = torch.exp(x) + torch.log(y) + torch.sqrt(y) + torch.tanh(x) + torch.sin(x) * torch.cos(y)
    magnitudes = torch.abs(-y) + torch.abs(x - y) + torch.log2(y) + torch.log10(y) + torch.log1p(x) + torch.expm1(x)
    trigonometry = torch.atan(x) + torch.asin(x) + torch.acos(x) + torch.tan(x) + y ** (1 / 3)
    hyperbolic = torch.sinh(x) + torch.cosh(x) + torch.asinh(y) + torch.acosh(y) + torch.atanh(x)
    return growth * magnitudes + trigonometry * hyperbolic


@case("math_binary", {"x": 1.2, "y": -0.7, "z": 2.0})
def _(v):
    x, y, z = v["x"], v["y"], v["z"]
    h2 = torch.hypot(x, y)
    h3 = torch.sqrt(x * x + y * y + z * z)
    angle = torch.atan2(y, x)
    p = torch.pow(z, x) + x ** 3
    area = math.pi * z ** 2 + math.e * x + math.sqrt(2) * y + math.log(2)
    m = js_max(x, y, z) - js_min(x, y, 0.5)
    return h2 + h3 * angle + p + area + m


@case("max_min_ties", {"a": 2.0, "b": 2.0, "c": 2.0, "d": -1.0, "e": -1.0})
def _(v):
    a, b, c, dd, e = (v[k] for k in "abcde")
    return js_max(a, b) * 3 + js_max(a, b, c) * 6 + js_min(dd, e) * 4 + js_max(dd, a, e) + js_min(a, dd, e) * 10


@case("step_functions", {"x": 2.7, "y": -1.3})
def _(v):
    x, y = v["x"], v["y"]
    return (x * torch.floor(x) + torch.ceil(y) * y + torch.round(x) + torch.trunc(y) + torch.sign(y) * 5
            + torch.floor(x * y))


@case("shared_subexpressions", {"a": 2.0, "b": 3.0})
def _(v):
    c = v["a"] + v["b"]
    dd = c * v["a"]
    return c * dd


@case("shared_square", {"x": 3.0, "z": -0.5})
def _(v):
    x, z = v["x"], v["z"]
    square = x * x
    twice = z + z
    return square + x + x + twice * twice * z


@case("unused_leaves", {"used": 1.5, "unused": 4.0, "onlyInUntakenBranch": 2.0, "onlyInCondition": 10.0,
                        **array("weights", [0.1, 0.2, 0.3])})
def _(v):
    y = v["used"] * v["weights[1]"]
    if v["onlyInCondition"].item() > 100:
        y = y * v["onlyInUntakenBranch"]
    return y


@case("reassigned_let", {"x": 2.0, "k": 0.5})
def _(v):
    x = v["x"]
    x = x * 3
    x = x + v["k"]
    x = x * x
    return x


@case("template_string", {"a": 1.25, "b": 4.0})
def _(v):
    a, b = v["a"], v["b"]
    text = f"a is {a.item()} and b is {b.item():.1f}"
    from_text = float(f"{(a * 2).item()}")  # a plain number again: a constant
    flag = 1 if f"{from_text}" == "2.5" else 0
    return from_text * b + a * b * flag + len(text)


@case("types", {"w": 0.8, "bias": -0.3, "input": 1.7})
def _(v):
    w, bias, inp = v["w"], v["bias"], v["input"]
    layer = {"weight": w, "bias": bias}

    def apply(l, x):
        return torch.tanh(l["weight"] * x + l["bias"])

    pair = [apply(layer, inp), apply(layer, -inp)]
    return pair[0] * w * 2 - pair[1]


@case("functions", {"x": 0.9, "y": -1.1})
def _(v):
    x, y = v["x"], v["y"]

    def square(u):
        return u * u

    def cube(u):
        return square(u) * u

    def scale_by(u, k=2):
        return u * k

    total = 0
    for item in [square(x), cube(y), scale_by(x), scale_by(y, 3), -x]:
        total = total + item
    return total


@case("nested_loops", {**array("M", [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), **array("v", [0.5, -0.25]), "out": 0.0})
def _(v):
    M, vec, out = nested(v, "M", [2, 2, 2]), nested(v, "v", 2), v["out"]
    for i in range(3):
        stop = False
        for j in range(2):
            if M[i][j].item() == 2:
                continue
            if i == 2 and j == 1:
                stop = True
                break
            out = out + M[i][j] * vec[j]
        if stop:
            break
    return out


@case("unary_parentheses", {"a": 1.5, "b": -2.0})
def _(v):
    a, b = v["a"], v["b"]
    return -(a - b) * -(-a) + b - (-(a * b)) - (a - (b - a))


print(json.dumps({"cases": cases}, indent=2, sort_keys=True))
