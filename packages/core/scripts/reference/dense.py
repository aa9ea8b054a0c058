"""Reference outputs for Cornu's Dense layer, computed with NumPy (float64 arithmetic).

Run: python3 packages/core/scripts/reference/dense.py
Writes packages/core/test-fixtures/reference/core/dense.json. Inputs and weights are drawn from a
seeded generator and rounded to float32 first, so the TypeScript tests load exactly the values the
references were computed from. Keras's Dense computes activation(x @ kernel + bias) on the last
axis, with kernel of shape (input_dim, units); that layout is used as is (no transposes needed).

Cases: rank-2, rank-3 and rank-4 inputs, with and without bias, the activations Dense is most often
given, and the analytic gradient of loss = sum(c * tanh(x @ W + b)) with respect to x, W and b.
"""

import json
import math
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "reference", "core")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(20260301)


def f32(shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


def as64(a):
    return a.astype(np.float64)


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


erf = np.vectorize(math.erf)

ACTIVATIONS = {
    "linear": lambda z: z,
    "relu": lambda z: np.maximum(z, 0.0),
    "tanh": np.tanh,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "softmax": softmax,
    # keras.activations.gelu defaults to approximate=False (the erf form), which 'gelu' names.
    "gelu": lambda z: 0.5 * z * (1.0 + erf(z / math.sqrt(2.0))),
    "elu": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0.0))),
}


def dense(x, kernel, bias, activation):
    z = as64(x) @ as64(kernel)
    if bias is not None:
        z = z + as64(bias)
    return ACTIVATIONS[activation](z)


def lst(a):
    return None if a is None else a.tolist()


cases = []


def case(name, x, kernel, bias, activations):
    outputs = {act: dense(x, kernel, bias, act).tolist() for act in activations}
    cases.append(
        {"name": name, "x": lst(x), "kernel": lst(kernel), "bias": lst(bias), "outputs": outputs}
    )


case("rank2_bias", f32((4, 5)), f32((5, 3), 0.6), f32((3,), 0.3), list(ACTIVATIONS))
case("rank3_no_bias", f32((2, 3, 4)), f32((4, 6), 0.5), None, ["linear", "relu"])
case("rank4_bias", f32((2, 2, 3, 4)), f32((4, 2), 0.5), f32((2,), 0.2), ["linear", "tanh"])

# Gradient of loss = sum(c * tanh(x W + b)): with u = c * (1 - tanh(z)^2),
# dW = x^T u, db = sum over rows of u, dx = u W^T.
gx, gk, gb, gc = f32((3, 4)), f32((4, 2), 0.5), f32((2,), 0.2), f32((3, 2))
z = as64(gx) @ as64(gk) + as64(gb)
u = as64(gc) * (1.0 - np.tanh(z) ** 2)
gradient = {
    "x": gx.tolist(),
    "kernel": gk.tolist(),
    "bias": gb.tolist(),
    "c": gc.tolist(),
    "loss": float((as64(gc) * np.tanh(z)).sum()),
    "dx": (u @ as64(gk).T).tolist(),
    "dkernel": (as64(gx).T @ u).tolist(),
    "dbias": u.sum(axis=0).tolist(),
}

payload = {
    "generator": f"packages/core/scripts/reference/dense.py (numpy {np.__version__}, seed 20260301)",
    "cases": cases,
    "gradient": gradient,
}
path = os.path.join(OUT, "dense.json")
with open(path, "w") as f:
    json.dump(payload, f)
print(f"wrote {path} ({os.path.getsize(path)} bytes)")
