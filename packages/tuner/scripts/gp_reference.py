"""Reference posterior of a Gaussian process with a Matern 5/2 ARD kernel, for gaussian-process.test.

Independent of the TypeScript code: scipy's cho_factor/cho_solve on numpy arrays. Targets are
standardized (population std), the kernel is amplitude * (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r) with
r the length-scaled distance, plus `noise` on the diagonal; mean and std are mapped back to the
units of y. Run: /usr/bin/python3 scripts/gp_reference.py > test-fixtures/gp-reference.json
"""
import json

import numpy as np
from scipy.linalg import cho_factor, cho_solve


def matern52(a, b, ls, amp):
    d = (a[:, None, :] - b[None, :, :]) / ls
    r = np.sqrt((d ** 2).sum(-1))
    return amp * (1 + np.sqrt(5) * r + 5 / 3 * r ** 2) * np.exp(-np.sqrt(5) * r)


rng = np.random.default_rng(0)
x = rng.random((12, 2))
y = np.sin(3 * x[:, 0]) + np.cos(5 * x[:, 1]) + 0.3 * x[:, 0] * x[:, 1]
test = rng.random((5, 2))
ls = np.array([0.3, 0.5])
amp, noise = 1.3, 1e-4

mean, std = y.mean(), y.std()
ys = (y - mean) / std
k = matern52(x, x, ls, amp) + noise * np.eye(len(x))
c = cho_factor(k, lower=True)
ks = matern52(x, test, ls, amp)
mu = ks.T @ cho_solve(c, ys)
var = amp - (ks * cho_solve(c, ks)).sum(0)
print(json.dumps({
    "generator": "scripts/gp_reference.py (numpy %s)" % np.__version__,
    "x": x.tolist(), "y": y.tolist(), "test": test.tolist(),
    "params": {"lengthScales": ls.tolist(), "amplitude": amp, "noise": noise},
    "mean": (mean + std * mu).tolist(), "std": (std * np.sqrt(np.maximum(var, 1e-12))).tolist(),
}, indent=1))
