"""Loads the .keras archives Cornu wrote in Python Keras 3 and records Keras's predictions.

Usage (KERAS_BACKEND=jax, keras>=3.15, numpy):
    python keras_reads_cornu.py <dir with NAME.keras + NAME.inputs.json> <fixture dir>
For each NAME it loads NAME.keras with keras.saving.load_model (safe_mode on, no custom objects),
predicts on the inputs Cornu recorded, reports the largest difference from Cornu's own predictions,
continues training the compiled model for one step (which needs the optimizer state to load), and
writes NAME.keras + NAME.keras-outputs.json into the fixture dir.
"""

import json
import os
import shutil
import sys

import keras
import numpy as np

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
worst_overall = 0.0
failures = []
for file in sorted(os.listdir(src)):
    if not file.endswith(".keras"):
        continue
    name = file[: -len(".keras")]
    with open(os.path.join(src, name + ".inputs.json")) as f:
        recorded = json.load(f)
    try:
        model = keras.saving.load_model(os.path.join(src, file))
    except Exception as error:  # report every archive, then fail
        failures.append(name)
        print(f"{name}: Keras could not load it: {str(error).splitlines()[-1]}")
        continue
    xs = [np.array(i["values"], dtype=i["dtype"]).reshape(i["shape"]) for i in recorded["inputs"]]
    ys = model.predict(xs[0] if len(xs) == 1 else xs, verbose=0)
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    worst = 0.0
    for y, c in zip(ys, recorded["cornu"]):
        assert list(y.shape) == c["shape"], (name, y.shape, c["shape"])
        worst = max(worst, float(np.max(np.abs(np.asarray(y).ravel() - np.array(c["values"])))))
    worst_overall = max(worst_overall, worst)
    extra = ""
    if getattr(model, "optimizer", None) is not None and model.compiled:
        iterations = int(model.optimizer.iterations.numpy())
        y_train = np.zeros((xs[0].shape[0],), dtype="float32")
        model.train_on_batch(xs[0], y_train)
        extra = f", optimizer {model.optimizer.name} resumed at iteration {iterations} -> {int(model.optimizer.iterations.numpy())}"
    print(f"{name}: loaded by Keras {keras.__version__}, max |keras - cornu| = {worst:.2e}{extra}")
    shutil.copy(os.path.join(src, file), os.path.join(dst, file))
    with open(os.path.join(dst, name + ".keras-outputs.json"), "w") as f:
        json.dump(
            {
                "keras_version": keras.__version__,
                "backend": keras.backend.backend(),
                "inputs": recorded["inputs"],
                "keras": [{"shape": list(y.shape), "values": np.asarray(y).ravel().tolist()} for y in ys],
            },
            f,
        )
print(f"max difference over all models: {worst_overall:.2e}")
if failures:
    sys.exit(f"Keras could not load: {', '.join(failures)}")
