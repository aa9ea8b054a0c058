"""Resize references from TensorFlow's tf.image.resize and keras.layers.Resizing (TF backend).

Run from the repository root (needs tensorflow-cpu and keras 3):
    KERAS_BACKEND=tensorflow python packages/cv/scripts/reference/generate_tf_resize_reference.py
Writes packages/cv/test-fixtures/resize_tf_reference.json.

- "resize": tf.image.resize(image, size, method, antialias) for every interpolation Cornu offers,
  downscale (5x4), upscale (11x13), mixed (4x12) and same size (7x9), antialias off and on.
  TF ignores antialias for nearest and area; gaussian and mitchellcubic exist in tf.image.resize
  but not in Keras 3's resize (its TF backend accepts bilinear, nearest, lanczos3/5, bicubic, area).
- "layer": keras.layers.Resizing(crop_to_aspect_ratio / pad_to_aspect_ratio) outputs, including
  sizes whose padding is odd (Keras pads floor(diff / 2) on each side, so the canvas loses a row).
Values are float32, stored with 9 significant digits (exact for float32).
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

assert keras.backend.backend() == "tensorflow", keras.backend.backend()
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test-fixtures", "resize_tf_reference.json")

rng = np.random.default_rng(7)
image = rng.uniform(0.0, 1.0, (7, 9, 3)).astype(np.float32)

METHODS = ["bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic"]
SIZES = [(5, 4), (11, 13), (4, 12), (7, 9)]

resize_cases = []
for method in METHODS:
    for size in SIZES:
        for antialias in (False, True):
            y = tf.image.resize(image, size, method=method, antialias=antialias).numpy().astype(np.float32)
            resize_cases.append(
                {
                    "interpolation": method,
                    "antialias": antialias,
                    "size": list(size),
                    "values": [float(f"{v:.9g}") for v in y.ravel()],
                }
            )

layer_cases = []
for mode in ("crop", "pad"):
    for size in [(5, 4), (11, 13), (4, 7), (6, 5), (3, 12)]:
        for method in ("bilinear", "nearest", "bicubic"):
            for fill_value in (0.0, 0.5) if mode == "pad" else (0.0,):
                layer = keras.layers.Resizing(
                    size[0],
                    size[1],
                    interpolation=method,
                    crop_to_aspect_ratio=mode == "crop",
                    pad_to_aspect_ratio=mode == "pad",
                    fill_value=fill_value,
                )
                y = keras.ops.convert_to_numpy(layer(image[None])).astype(np.float32)
                layer_cases.append(
                    {
                        "mode": mode,
                        "interpolation": method,
                        "fill_value": fill_value,
                        "size": list(size),
                        "values": [float(f"{v:.9g}") for v in y.ravel()],
                    }
                )

out = {
    "generator": f"tensorflow {tf.__version__}, keras {keras.__version__}, numpy {np.__version__}",
    "image_shape": list(image.shape),
    "image": [float(f"{v:.9g}") for v in image.ravel()],
    "resize": resize_cases,
    "layer": layer_cases,
}
with open(OUT, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"wrote {OUT}: {len(resize_cases)} resize cases, {len(layer_cases)} layer cases")
