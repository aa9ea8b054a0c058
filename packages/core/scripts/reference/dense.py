"""Reference outputs for Cornu's Dense layer, computed with PyTorch (float64).

Run with Debian's interpreter (it has python3-torch):  /usr/bin/python3 packages/core/scripts/reference/dense.py
Writes packages/core/test-fixtures/reference/core/dense.json. Inputs and weights are drawn from a
seeded generator and rounded to float32 first, so the TypeScript tests load exactly the values the
references were computed from; torch then computes in float64.

The weights are stored in PyTorch's layout, as torch.nn.Linear holds them: `weight` is
(units, input_dim) and the layer computes x @ weight.T + bias. Keras's Dense kernel is
(input_dim, units), so the tests map kernel = transpose(weight) explicitly.

Cases: rank-2, rank-3 and rank-4 inputs, with and without bias, the activations Dense is most often
given (torch's own: relu, tanh, sigmoid, softmax, exact erf gelu, elu), and the gradient of
loss = sum(c * tanh(linear(x))) with respect to x, the weight and the bias, by autograd.
"""

import json
import os

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "reference", "core")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20260301)


def f32(shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": F.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softmax": lambda z: F.softmax(z, dim=-1),
    # keras.activations.gelu defaults to approximate=False (the erf form), which 'gelu' names.
    "gelu": lambda z: F.gelu(z, approximate="none"),
    "elu": F.elu,
}


def linear(x, weight, bias):
    layer = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(weight).double())
        if bias is not None:
            layer.bias.copy_(torch.from_numpy(bias).double())
    return layer


def lst(a):
    return None if a is None else a.tolist()


cases = []


def case(name, x, weight, bias, activations):
    layer = linear(x, weight, bias)
    with torch.no_grad():
        z = layer(torch.from_numpy(x).double())
        outputs = {act: ACTIVATIONS[act](z).tolist() for act in activations}
    cases.append(
        {"name": name, "x": lst(x), "weight": lst(weight), "bias": lst(bias), "outputs": outputs}
    )


case("rank2_bias", f32((4, 5)), f32((3, 5), 0.6), f32((3,), 0.3), list(ACTIVATIONS))
case("rank3_no_bias", f32((2, 3, 4)), f32((6, 4), 0.5), None, ["linear", "relu"])
case("rank4_bias", f32((2, 2, 3, 4)), f32((2, 4), 0.5), f32((2,), 0.2), ["linear", "tanh"])

gx, gw, gb, gc = f32((3, 4)), f32((2, 4), 0.5), f32((2,), 0.2), f32((3, 2))
layer = linear(gx, gw, gb)
x = torch.from_numpy(gx).double().requires_grad_(True)
loss = (torch.from_numpy(gc).double() * torch.tanh(layer(x))).sum()
loss.backward()
gradient = {
    "x": gx.tolist(),
    "weight": gw.tolist(),
    "bias": gb.tolist(),
    "c": gc.tolist(),
    "loss": float(loss),
    "dx": x.grad.tolist(),
    "dweight": layer.weight.grad.tolist(),
    "dbias": layer.bias.grad.tolist(),
}

payload = {
    "generator": f"packages/core/scripts/reference/dense.py (torch {torch.__version__}, numpy {np.__version__}, seed 20260301)",
    "cases": cases,
    "gradient": gradient,
}
path = os.path.join(OUT, "dense.json")
with open(path, "w") as f:
    json.dump(payload, f)
print(f"wrote {path} ({os.path.getsize(path)} bytes)")
