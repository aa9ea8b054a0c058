"""Resize references from torch.nn.functional.interpolate (an independent implementation).

Run: /usr/bin/python3 packages/cv/test-fixtures/generate_resize_reference.py
torch's bilinear (align_corners=False) and nearest-exact use half-pixel centres like TF's resize;
with antialias=True its bilinear/bicubic (a=-0.5) widen the kernel like TF's scale_and_translate.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(3)
x = rng.uniform(0, 255, (1, 2, 13, 17)).astype(np.float32)  # NCHW
t = torch.from_numpy(x)
out = {"generator": f"torch {torch.__version__}", "input_nhwc": np.round(x.transpose(0, 2, 3, 1), 4).ravel().tolist(), "input_shape": [1, 13, 17, 2]}
cases = {
    "bilinear_up": ((19, 23), dict(mode="bilinear", align_corners=False)),
    "bilinear_down": ((5, 7), dict(mode="bilinear", align_corners=False)),
    "bilinear_down_antialias": ((5, 7), dict(mode="bilinear", align_corners=False, antialias=True)),
    "bicubic_down_antialias": ((5, 7), dict(mode="bicubic", align_corners=False, antialias=True)),
    "nearest_down": ((5, 7), dict(mode="nearest-exact")),
}
for name, (size, kw) in cases.items():
    xin = torch.from_numpy(np.round(x, 4))
    y = F.interpolate(xin, size=size, **kw).numpy().transpose(0, 2, 3, 1)
    out[name] = {"size": list(size), "values": np.round(y, 4).ravel().tolist()}
with open(os.path.join(HERE, "resize_torch_reference.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
