"""Reference outputs for Cornu's normalization layers, computed with PyTorch.

Run: /usr/bin/python3 packages/core/scripts/reference/norm.py
Writes packages/core/test-fixtures/reference/norm/*.json (inputs, weights, outputs as nested
lists of float32 values). Layouts are Keras's (channels-last); the script transposes to PyTorch's
channels-first layout where torch needs it and back, so the JSON holds Keras-layout tensors only.
"""

import json
import os

import torch
import torch.nn.functional as F

print(f"torch {torch.__version__}")

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "reference", "norm")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(20240603)


def t2l(t):
    return t.detach().to(torch.float32).tolist()


def write(name, payload):
    payload["generator"] = f"packages/core/scripts/reference/norm.py (torch {torch.__version__})"
    path = os.path.join(OUT, f"{name}.json")
    with open(path, "w") as f:
        json.dump(payload, f)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def nhwc_to_nchw(x):
    return x.permute(0, 3, 1, 2).contiguous()


def nchw_to_nhwc(x):
    return x.permute(0, 2, 3, 1).contiguous()


# BatchNormalization, inference: Keras axis=-1 on NHWC input [2, 3, 3, 4]; epsilon 1e-3.
x = torch.randn(2, 3, 3, 4) * 2.0 + 0.5
gamma = torch.rand(4) + 0.5
beta = torch.rand(4) * 0.6 - 0.3
moving_mean = torch.rand(4) - 0.5
moving_variance = torch.rand(4) * 1.5 + 0.5
y = F.batch_norm(nhwc_to_nchw(x), moving_mean, moving_variance, gamma, beta,
                 training=False, eps=1e-3)
write("batch_norm_inference", {
    "epsilon": 1e-3, "axis": -1,
    "x": t2l(x), "gamma": t2l(gamma), "beta": t2l(beta),
    "moving_mean": t2l(moving_mean), "moving_variance": t2l(moving_variance),
    "y": t2l(nchw_to_nhwc(y)),
})

# BatchNormalization, one training step on [6, 5] input (axis=-1), momentum 0.99, epsilon 1e-3.
# Output: normalized with the batch's biased variance (F.batch_norm training=True does so).
# Moving stats: Keras uses the BIASED batch variance in its update, whereas torch's running_var
# uses the unbiased one, so the update is computed from torch.var(unbiased=False) explicitly.
x = torch.randn(6, 5) * 1.5 - 0.2
gamma = torch.rand(5) + 0.5
beta = torch.rand(5) * 0.6 - 0.3
mm0 = torch.rand(5) - 0.5
mv0 = torch.rand(5) * 1.5 + 0.5
y = F.batch_norm(x, mm0.clone(), mv0.clone(), gamma, beta, training=True, momentum=0.01, eps=1e-3)
batch_mean = x.mean(dim=0)
batch_var = x.var(dim=0, unbiased=False)
momentum = 0.99
write("batch_norm_training", {
    "epsilon": 1e-3, "momentum": momentum, "axis": -1,
    "x": t2l(x), "gamma": t2l(gamma), "beta": t2l(beta),
    "moving_mean": t2l(mm0), "moving_variance": t2l(mv0),
    "y": t2l(y),
    "moving_mean_after": t2l(mm0 * momentum + batch_mean * (1 - momentum)),
    "moving_variance_after": t2l(mv0 * momentum + batch_var * (1 - momentum)),
})

# LayerNormalization over the last axis of [2, 3, 4] and over axes [1, 2] (gamma shape [3, 4]).
x = torch.randn(2, 3, 4) * 3.0 + 1.0
gamma = torch.rand(4) + 0.5
beta = torch.rand(4) - 0.5
y = F.layer_norm(x, [4], gamma, beta, eps=1e-3)
gamma2 = torch.rand(3, 4) + 0.5
beta2 = torch.rand(3, 4) - 0.5
y2 = F.layer_norm(x, [3, 4], gamma2, beta2, eps=1e-3)
# rms_scaling=True in Keras 3: x * rsqrt(var(x) + eps) * gamma (variance about the mean, no beta).
var = x.var(dim=-1, keepdim=True, unbiased=False)
y_rms = x * torch.rsqrt(var + 1e-3) * gamma
write("layer_norm", {
    "epsilon": 1e-3, "x": t2l(x),
    "last_axis": {"axis": [-1], "gamma": t2l(gamma), "beta": t2l(beta), "y": t2l(y)},
    "axes_1_2": {"axis": [1, 2], "gamma": t2l(gamma2), "beta": t2l(beta2), "y": t2l(y2)},
    "rms_scaling": {"axis": [-1], "gamma": t2l(gamma), "y": t2l(y_rms)},
})

# GroupNormalization: NHWC [2, 3, 4, 6], 3 groups over the channel axis, epsilon 1e-3.
x = torch.randn(2, 3, 4, 6) * 2.0 - 0.5
gamma = torch.rand(6) + 0.5
beta = torch.rand(6) - 0.5
y = F.group_norm(nhwc_to_nchw(x), 3, gamma, beta, eps=1e-3)
# And a rank-3 [2, 5, 8] input with 4 groups: torch wants [N, C, L].
x3 = torch.randn(2, 5, 8)
gamma3 = torch.rand(8) + 0.5
beta3 = torch.rand(8) - 0.5
y3 = F.group_norm(x3.permute(0, 2, 1), 4, gamma3, beta3, eps=1e-3).permute(0, 2, 1)
write("group_norm", {
    "epsilon": 1e-3,
    "nhwc": {"groups": 3, "x": t2l(x), "gamma": t2l(gamma), "beta": t2l(beta),
             "y": t2l(nchw_to_nhwc(y))},
    "rank3": {"groups": 4, "x": t2l(x3), "gamma": t2l(gamma3), "beta": t2l(beta3), "y": t2l(y3)},
})
