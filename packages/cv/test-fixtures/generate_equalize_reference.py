"""Histogram-equalization reference from Pillow's ImageOps.equalize (an independent implementation).

Run: /usr/bin/python3 packages/cv/test-fixtures/generate_equalize_reference.py
"""
import json
import os

import numpy as np
import PIL
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.RandomState(11)
# skewed values (squared uniform), 12 x 10 RGB, plus a flat channel-free case: a constant image
x = (rng.uniform(0, 1, (12, 10, 3)) ** 2 * 180 + 20).astype(np.uint8)
y = np.asarray(ImageOps.equalize(Image.fromarray(x)))
with open(os.path.join(HERE, "equalize_pillow_reference.json"), "w") as f:
    json.dump({"generator": f"Pillow {PIL.__version__}", "shape": list(x.shape), "input": x.ravel().tolist(), "output": y.ravel().tolist()}, f, separators=(",", ":"))
