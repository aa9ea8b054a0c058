"""Continues training the Keras-written compiled_adam_mlp.keras in Keras 3 itself, as a reference
for Cornu resuming the same archive: same batches, same optimizer state.

Usage: KERAS_BACKEND=jax python keras_continue_training.py <fixtures/saving/keras3 dir>
Loads compiled_adam_mlp.keras, evaluates on the stored training set, then runs train_on_batch on
the first two batches of 8 and writes compiled_adam_mlp.continued.json with the losses and weights.
"""

import json
import os
import sys

import keras
import numpy as np

here = sys.argv[1]
with open(os.path.join(here, "compiled_adam_mlp.reference.json")) as f:
    training = json.load(f)["training"]
x = np.array(training["x_train"], dtype="float32")
y = np.array(training["y_train"], dtype="int32")
model = keras.saving.load_model(os.path.join(here, "compiled_adam_mlp.keras"))
evaluate = model.evaluate(x, y, batch_size=40, verbose=0, return_dict=True)
losses = []
for step in range(2):
    batch = slice(step * 8, step * 8 + 8)
    losses.append(float(model.train_on_batch(x[batch], y[batch], return_dict=True)["loss"]))
out = {
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "evaluate_on_x_train": {k: float(v) for k, v in evaluate.items()},
    "steps": [{"batch_start": s * 8, "batch_size": 8} for s in range(2)],
    "losses": losses,
    "optimizer_iterations": int(model.optimizer.iterations.numpy()),
    "weights": [{"path": w.path, "shape": list(w.shape), "values": np.asarray(w).ravel().tolist()} for w in model.weights],
}
with open(os.path.join(here, "compiled_adam_mlp.continued.json"), "w") as f:
    json.dump(out, f)
print(json.dumps({k: v for k, v in out.items() if k != "weights"}))
