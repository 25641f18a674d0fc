"""PyTorch scalar autograd on the benchmark's workloads, for bench/engine.ts.

Reads the jobs and the workloads' numbers as JSON on stdin (the same weights, examples and inputs as
the JavaScript implementations) and prints the timings, outputs and gradients as JSON on stdout.
Timing happens here, inside the process, because `import torch` alone takes over a second.

Every value is a 0-d float64 tensor and torch uses one thread, the fair comparison with a scalar
engine. Timed: making the leaves, forward and backward; reading the gradients out is not. An n-ary
sum (a neuron's w.x + b, W3's `sum` mode) is `torch.stack(terms).sum()`, two autograd nodes
whatever the count, the cheapest way to write it with scalars.
"""
import functools
import gc
import json
import operator
import sys
import time

import torch

torch.set_num_threads(1)
F64 = torch.float64


def leaf(x):
    return torch.tensor(x, dtype=F64, requires_grad=True)


def w1(steps):
    x0 = leaf(0.5)
    x = x0
    for _ in range(steps):
        x = x * 0.9999 + 0.0001 * torch.sin(x)
    x.backward()
    return x, [x0]


def make_w2(data):
    """Parameters made once; each run zeroes their gradients, as a training step does."""
    layers = [
        ([[leaf(w) for w in row] for row in layer["weights"]], [leaf(b) for b in layer["biases"]], layer["activation"])
        for layer in data["layers"]
    ]
    params = [p for weights, biases, _ in layers for row, b in zip(weights, biases) for p in (*row, b)]

    def neuron(row, b, inputs, activation):
        total = torch.stack([w * x for w, x in zip(row, inputs)] + [b]).sum()
        return torch.tanh(total) if activation == "tanh" else total

    def run():
        for p in params:
            p.grad = None
        squares = []
        for x, y in zip(data["xs"], data["ys"]):
            activations = x
            for weights, biases, activation in layers:
                activations = [neuron(row, b, activations, activation) for row, b in zip(weights, biases)]
            error = activations[0] - y
            squares.append(error * error)
        loss = torch.stack(squares).sum() / len(squares)
        loss.backward()
        return loss, params

    return run


def w3(a, b, mode):
    xs = [leaf(x) for x in a]
    ys = [leaf(y) for y in b]
    products = [x * y for x, y in zip(xs, ys)]
    out = torch.stack(products).sum() if mode == "sum" else functools.reduce(operator.add, products)
    out.backward()
    return out, xs + ys


def measure(fn, warmups, runs, budget_ms):
    """Warm-up runs, then up to `runs` timed runs within `budget_ms` (at least one); median and best."""
    for _ in range(warmups):
        fn()
    durations = []
    while len(durations) < runs and (not durations or sum(durations) < budget_ms):
        gc.collect()
        start = time.perf_counter()
        out, leaves = fn()
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    middle = len(durations) // 2
    median = durations[middle] if len(durations) % 2 else (durations[middle - 1] + durations[middle]) / 2
    return {
        "medianMs": median,
        "bestMs": durations[0],
        "runs": len(durations),
        "output": out.item(),
        "grads": [x.grad.item() for x in leaves],
    }


def main():
    config = json.load(sys.stdin)
    w2_run = make_w2(config["w2"])
    a, b = config["w3"]["a"], config["w3"]["b"]
    results = []
    for job in config["jobs"]:
        workload, size = job["workload"], job["size"]
        if workload == "W1":
            fn = functools.partial(w1, size)
        elif workload == "W2":
            fn = w2_run
        else:
            fn = functools.partial(w3, a[:size], b[:size], job["mode"])
        result = measure(fn, job["warmups"], job["runs"], job["budgetMs"])
        results.append({"key": job["key"], **result})
    json.dump({"version": torch.__version__, "threads": torch.get_num_threads(), "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
