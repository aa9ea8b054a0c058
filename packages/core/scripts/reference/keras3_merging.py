"""Writes test-fixtures/reference/merging/two_in_two_out.json from the Keras 3 fixture
/work/shared/fixtures/keras/keras3/generated/two_in_two_out.keras (a two-input, two-output
Functional model with a shared Dense and a Concatenate): its config.json model config, its
weights (model.weights.h5 read with h5py, keyed by HDF5 path) and the inputs/outputs of its
reference.json (Keras 3.16 predictions). Run with /usr/bin/python3 (h5py, numpy)."""
import io
import json
import os
import zipfile

import h5py
import numpy as np

SRC = "/work/shared/fixtures/keras/keras3/generated"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "test-fixtures", "reference", "merging")
os.makedirs(OUT, exist_ok=True)

with zipfile.ZipFile(os.path.join(SRC, "two_in_two_out.keras")) as z:
    config = json.loads(z.read("config.json"))
    weights_bytes = z.read("model.weights.h5")
weights = {}
with h5py.File(io.BytesIO(weights_bytes), "r") as h:
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            a = np.array(obj, dtype=np.float64)
            weights[name] = {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}
    h.visititems(visit)
with open(os.path.join(SRC, "two_in_two_out.reference.json")) as f:
    ref = json.load(f)
out = {
    "description": "two_in_two_out.keras (Keras " + ref["keras_version"] + ", " + ref["backend"] + " backend): "
    "model config, weights by HDF5 path (h5py " + h5py.__version__ + "), reference inputs and predictions",
    "config": config["config"],
    "weights": weights,
    "inputs": {i["name"]: i["data"] for i in ref["inputs"]},
    "outputs": {o["name"]: o["data"] for o in ref["outputs"]},
}
with open(os.path.join(OUT, "two_in_two_out.json"), "w") as f:
    json.dump(out, f)
print("wrote", os.path.join(OUT, "two_in_two_out.json"), sorted(weights))
