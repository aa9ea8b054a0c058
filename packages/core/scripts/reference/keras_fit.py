"""Writes test-fixtures/reference/keras-fit/fit.json: end-to-end runs of Keras's training loop on
small models whose weights are set to fixed values, for Cornu's fit/evaluate/predict to replay.

Each case builds a model (an MLP with an L2 kernel regularizer, a two-input/two-output functional
model with `loss_weights` and per-output metrics, a model with BatchNormalization, a
sigmoid classifier trained with `class_weight`, a regression MLP with sample weights and
`initial_epoch`, and MLPs fed by an endless Python generator (validated on a PyDataset with
`validation_steps`) or arrays with `steps_per_epoch`),
sets every weight to rounded seeded values, compiles it (SGD with momentum or Adam; metrics by
name and as objects: 'accuracy', 'mae', AUC, RootMeanSquaredError, weighted 'mse') and runs, in
this order:

1. `model.fit(..., shuffle=False, verbose=0)` with a batch size that leaves a partial last batch
   and epochs=3, plus per case validation_split or validation_data (with sample weights),
   sample_weight, class_weight, initial_epoch, steps_per_epoch / validation_steps;
2. `model.evaluate(..., return_dict=True)` and the list form on held-out arrays;
3. `model.predict(..., batch_size=4)`;
4. `model.train_on_batch(..., return_dict=True)` then `model.test_on_batch(...)` (list form).

Recorded per case: the data, the initial weights (`model.weights` order, with their paths),
`history.history` (keys in Keras's order), `history.epoch`, the weights after fit, the evaluate
dict and list, the predictions, the train_on_batch dict, the test_on_batch list and the weights
after train_on_batch. Inputs and weights are written as 4-decimal numbers (they parse to the same
float32 Keras used); results as float32 printed to 9 significant digits (exact for float32).

Also recorded (`errors`): Keras refusing a flat metrics list for a two-output functional model.

Run with real Keras (offline is fine):

    KERAS_BACKEND=jax python packages/core/scripts/reference/keras_fit.py

With `--float64-noise` it writes nothing: it reruns every case with floatx float64 (jax x64) and
prints, per case, the largest difference between that run and the float32 values in fit.json, the
float32 rounding noise of Keras itself that the test's tolerance has to admit.

Generated with Keras 3.15.1, jax 0.10.2 (CPU), numpy 2.4.6. Seeds: numpy default_rng(20260715 +
crc32(case id)); `keras.backend.clear_session()` before each case so default names (auc, dense)
carry no `_1` suffix.
"""
import json
import os
import sys
import warnings
import zlib

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
FLOAT64_NOISE = "--float64-noise" in sys.argv
if FLOAT64_NOISE:
    os.environ["JAX_ENABLE_X64"] = "1"
import keras  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "test-fixtures",
    "reference",
    "keras-fit",
)
SEED = 20260715


def rng_for(case_id):
    return np.random.default_rng(SEED + zlib.crc32(case_id.encode()))


def rounded(a, digits=4):
    """float32 array of short decimals (written as those decimals)."""
    return np.round(np.asarray(a, dtype=np.float64), digits).astype(np.float32)


def input_json(a):
    a = np.asarray(a)
    if a.dtype.kind in "iu":
        return {"shape": list(a.shape), "dtype": "int32", "data": [int(v) for v in a.reshape(-1)]}
    return {
        "shape": list(a.shape),
        "data": [round(float(v), 6) for v in a.astype(np.float64).reshape(-1)],
    }


def f32(v):
    return float("%.9g" % np.float32(v))


def result_json(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": [f32(v) for v in a.reshape(-1)]}


def logs_json(logs):
    return {k: f32(v) for k, v in logs.items()}


def set_weights(model, rng):
    """Rounded seeded weights: N(0, 0.5) for kernels and biases, gamma near 1, variance > 0."""
    values = []
    for w in model.weights:
        shape = tuple(w.shape)
        if w.path.endswith("gamma"):
            v = rng.uniform(0.8, 1.2, size=shape)
        elif w.path.endswith("moving_variance"):
            v = rng.uniform(0.5, 1.5, size=shape)
        elif w.path.endswith("moving_mean"):
            v = rng.normal(0, 0.2, size=shape)
        else:
            v = rng.normal(0, 0.5, size=shape)
        values.append(rounded(v))
    model.set_weights(values)
    return values


def weights_json(model):
    return [result_json(np.asarray(w)) for w in model.get_weights()]


def classes(rng, x, n_classes):
    """Labels that depend on x (so accuracy moves during training), with some noise."""
    w = rng.normal(size=(x.shape[1], n_classes))
    return np.argmax(x @ w + 0.5 * rng.normal(size=(x.shape[0], n_classes)), axis=1).astype(
        np.int32
    )


def record(case_id, description, model, data, fit, evaluate, predict, on_batch):
    """Runs fit / evaluate / predict / train_on_batch / test_on_batch and returns the case."""
    initial = [input_json(np.asarray(w)) for w in model.get_weights()]
    paths = [w.path for w in model.weights]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = fit()
    ran_out = any("ran out of data" in str(w.message) for w in caught)
    out = {
        "id": case_id,
        "description": description,
        "data": {k: input_json(v) for k, v in data.items()},
        "weight_paths": paths,
        "initial_weights": initial,
        "history": {k: [f32(v) for v in vs] for k, vs in history.history.items()},
        "epoch": list(history.epoch),
        "ran_out_warning": ran_out,
        "weights_after_fit": weights_json(model),
    }
    ev_dict = evaluate(True)
    ev_list = evaluate(False)
    out["evaluate_dict"] = logs_json(ev_dict)
    out["evaluate_list"] = (
        [f32(v) for v in ev_list] if isinstance(ev_list, list) else f32(ev_list)
    )
    pred = predict()
    out["predict"] = (
        [result_json(p) for p in pred] if isinstance(pred, list) else result_json(pred)
    )
    train_logs, test_list = on_batch()
    out["train_on_batch"] = logs_json(train_logs)
    out["test_on_batch"] = (
        [f32(v) for v in test_list] if isinstance(test_list, list) else f32(test_list)
    )
    out["weights_after_train_on_batch"] = weights_json(model)
    return out


# ---------------------------------------------------------------------------------------------
# Cases


def mlp_l2_sgd():
    """Dense(8, relu, L2 0.01) -> Dense(3, softmax); SGD momentum; validation_split; 22 samples."""
    cid = "mlp_l2_sgd"
    keras.backend.clear_session()
    rng = rng_for(cid)
    x = rounded(rng.normal(size=(22, 4)))
    y = classes(rng, x, 3)
    xt = rounded(rng.normal(size=(9, 4)))
    yt = classes(rng, xt, 3)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(
                8, activation="relu", kernel_regularizer=keras.regularizers.L2(0.01), name="hidden"
            ),
            layers.Dropout(0.0),
            layers.Dense(3, activation="softmax", name="probs"),
        ]
    )
    set_weights(model, rng)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return record(
        cid,
        "sparse labels, 'accuracy', L2 regularizer in the loss, batch 5 of 17 training samples "
        "(validation_split=0.2 holds out the last 5)",
        model,
        {"x": x, "y": y, "x_test": xt, "y_test": yt},
        lambda: model.fit(
            x, y, batch_size=5, epochs=3, validation_split=0.2, shuffle=False, verbose=0
        ),
        lambda d: model.evaluate(xt, yt, batch_size=4, verbose=0, return_dict=d),
        lambda: model.predict(xt, batch_size=4, verbose=0),
        lambda: (
            model.train_on_batch(x[:6], y[:6], return_dict=True),
            model.test_on_batch(xt, yt),
        ),
    )


def regression_adam_sample_weight():
    """Regression MLP, Adam, sample weights, validation_data with weights, initial_epoch=1."""
    cid = "regression_adam_sample_weight"
    keras.backend.clear_session()
    rng = rng_for(cid)
    x = rounded(rng.normal(size=(20, 3)))
    y = rounded(x @ rng.normal(size=(3, 2)) + 0.1 * rng.normal(size=(20, 2)))
    sw = rounded(rng.uniform(0.2, 2.0, size=(20,)), 2)
    xv = rounded(rng.normal(size=(7, 3)))
    yv = rounded(xv @ rng.normal(size=(3, 2)))
    swv = rounded(rng.uniform(0.2, 2.0, size=(7,)), 2)
    model = keras.Sequential(
        [
            keras.Input((3,)),
            layers.Dense(6, activation="tanh", name="h"),
            layers.Dense(2, name="out"),
        ]
    )
    set_weights(model, rng)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.02),
        loss="mse",
        metrics=["mae", keras.metrics.RootMeanSquaredError()],
        weighted_metrics=["mse"],
    )
    return record(
        cid,
        "mse loss with sample_weight, 'mae' and RootMeanSquaredError unweighted, 'mse' weighted, "
        "validation_data (x, y, sample_weight), initial_epoch=1 of epochs=3, batch 6 of 20",
        model,
        {"x": x, "y": y, "sw": sw, "x_val": xv, "y_val": yv, "sw_val": swv},
        lambda: model.fit(
            x,
            y,
            sample_weight=sw,
            batch_size=6,
            epochs=3,
            initial_epoch=1,
            validation_data=(xv, yv, swv),
            shuffle=False,
            verbose=0,
        ),
        lambda d: model.evaluate(
            xv, yv, sample_weight=swv, batch_size=3, verbose=0, return_dict=d
        ),
        lambda: model.predict(xv, batch_size=4, verbose=0),
        lambda: (
            model.train_on_batch(x[:5], y[:5], sample_weight=sw[:5], return_dict=True),
            model.test_on_batch(xv, yv, sample_weight=swv),
        ),
    )


def binary_class_weight():
    """Dense(1, sigmoid) with class_weight, validation_split, 'accuracy' and AUC; Adam."""
    cid = "binary_class_weight"
    keras.backend.clear_session()
    rng = rng_for(cid)
    x = rounded(rng.normal(size=(24, 5)))
    y = (x @ rng.normal(size=(5, 1)) + 0.7 * rng.normal(size=(24, 1)) > 0.4).astype(np.float32)
    xt = rounded(rng.normal(size=(10, 5)))
    yt = (xt @ rng.normal(size=(5, 1)) > 0.4).astype(np.float32)
    model = keras.Sequential(
        [
            keras.Input((5,)),
            layers.Dense(4, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    set_weights(model, rng)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.02),
        loss="binary_crossentropy",
        metrics=["accuracy", keras.metrics.AUC()],
    )
    cw = {0: 0.5, 1: 2.0}
    return record(
        cid,
        "binary_crossentropy with class_weight {0: 0.5, 1: 2} (training samples only), "
        "validation_split=0.25, batch 7 of 18, 'accuracy' -> binary accuracy, AUC object",
        model,
        {"x": x, "y": y, "x_test": xt, "y_test": yt},
        lambda: model.fit(
            x,
            y,
            class_weight=cw,
            batch_size=7,
            epochs=3,
            validation_split=0.25,
            shuffle=False,
            verbose=0,
        ),
        lambda d: model.evaluate(xt, yt, batch_size=32, verbose=0, return_dict=d),
        lambda: model.predict(xt, batch_size=4, verbose=0),
        lambda: (
            model.train_on_batch(x[:8], y[:8], class_weight=cw, return_dict=True),
            model.test_on_batch(xt, yt),
        ),
    )


def two_in_two_out():
    """Functional model: two named inputs and outputs, loss dict, loss_weights, metrics dict."""
    cid = "two_in_two_out"
    keras.backend.clear_session()
    rng = rng_for(cid)
    n = 19
    xa = rounded(rng.normal(size=(n, 3)))
    xb = rounded(rng.normal(size=(n, 2)))
    ya = rounded(xa[:, :1] - 0.5 * xb[:, 1:] + 0.1 * rng.normal(size=(n, 1)))
    yb = (xa[:, 1:2] + xb[:, :1] > 0).astype(np.float32)
    swa = rounded(rng.uniform(0.5, 1.5, size=(n,)), 2)
    swb = rounded(rng.uniform(0.5, 1.5, size=(n,)), 2)
    m = 6
    xva = rounded(rng.normal(size=(m, 3)))
    xvb = rounded(rng.normal(size=(m, 2)))
    yva = rounded(xva[:, :1] - 0.5 * xvb[:, 1:])
    yvb = (xva[:, 1:2] + xvb[:, :1] > 0).astype(np.float32)
    in_a = keras.Input((3,), name="in_a")
    in_b = keras.Input((2,), name="in_b")
    h = layers.Concatenate(name="cat")(
        [layers.Dense(4, activation="tanh", name="da")(in_a), layers.Dense(3, name="db")(in_b)]
    )
    out_a = layers.Dense(1, name="output_a")(h)
    out_b = layers.Dense(1, activation="sigmoid", name="output_b")(h)
    model = keras.Model([in_a, in_b], [out_a, out_b], name="two_in_two_out")
    set_weights(model, rng)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.5),
        loss={"output_a": "mse", "output_b": "binary_crossentropy"},
        loss_weights={"output_a": 0.5, "output_b": 2.0},
        metrics={"output_a": ["mae"], "output_b": ["accuracy", keras.metrics.AUC()]},
    )
    xs = {"in_a": xa, "in_b": xb}
    # Keras 3.15.1 wants sample weights in y's structure, and a dict of them fails inside it
    # (KeyError in compile_utils.resolve_path): fit gets y and sample weights as lists in output
    # order; validation, evaluate and train_on_batch get y as a dict.
    ys = [ya, yb]
    sws = [swa, swb]
    xv = {"in_a": xva, "in_b": xvb}
    yv = {"output_a": yva, "output_b": yvb}
    case = record(
        cid,
        "x as a dict by input name; fit y and sample weights as lists, validation / evaluate y "
        "as dicts; loss dict with loss_weights 0.5 / 2, "
        "per-output losses logged unweighted, metrics dict ('mae'; 'accuracy' and AUC), "
        "validation_data, batch 4 of 19",
        model,
        {
            "xa": xa,
            "xb": xb,
            "ya": ya,
            "yb": yb,
            "swa": swa,
            "swb": swb,
            "xva": xva,
            "xvb": xvb,
            "yva": yva,
            "yvb": yvb,
        },
        lambda: model.fit(
            xs,
            ys,
            sample_weight=sws,
            batch_size=4,
            epochs=3,
            validation_data=(xv, yv),
            shuffle=False,
            verbose=0,
        ),
        lambda d: model.evaluate(xv, yv, batch_size=4, verbose=0, return_dict=d),
        lambda: model.predict(xv, batch_size=4, verbose=0),
        lambda: (
            model.train_on_batch(
                {"in_a": xa[:5], "in_b": xb[:5]},
                {"output_a": ya[:5], "output_b": yb[:5]},
                return_dict=True,
            ),
            model.test_on_batch(xv, yv),
        ),
    )
    return case


def batchnorm_adam():
    """Dense -> BatchNormalization -> relu -> Dense(softmax), one-hot targets, Adam."""
    cid = "batchnorm_adam"
    keras.backend.clear_session()
    rng = rng_for(cid)
    x = rounded(rng.normal(1.0, 2.0, size=(24, 4)))
    y = np.eye(3, dtype=np.float32)[classes(rng, x, 3)]
    xt = rounded(rng.normal(1.0, 2.0, size=(8, 4)))
    yt = np.eye(3, dtype=np.float32)[classes(rng, xt, 3)]
    model = keras.Sequential(
        [
            keras.Input((4,)),
            # No bias before BatchNormalization: its gradient is zero in exact arithmetic, so Adam
            # would move it by normalised rounding noise that no two backends share.
            layers.Dense(5, use_bias=False, name="d1"),
            layers.BatchNormalization(name="bn"),
            layers.Activation("relu"),
            layers.Dense(3, activation="softmax", name="d2"),
        ]
    )
    set_weights(model, rng)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return record(
        cid,
        "BatchNormalization in training mode (batch statistics, moving stats updated with "
        "momentum 0.99) over batches of 7, 7, 7, 3; one-hot targets, 'accuracy' -> categorical",
        model,
        {"x": x, "y": y, "x_test": xt, "y_test": yt},
        lambda: model.fit(x, y, batch_size=7, epochs=3, shuffle=False, verbose=0),
        lambda d: model.evaluate(xt, yt, batch_size=5, verbose=0, return_dict=d),
        lambda: model.predict(xt, batch_size=4, verbose=0),
        lambda: (
            model.train_on_batch(x[:7], y[:7], return_dict=True),
            model.test_on_batch(xt, yt),
        ),
    )


def generator_steps():
    """An endless generator, steps_per_epoch=3; a PyDataset validated with validation_steps=2."""
    cid = "generator_steps"
    keras.backend.clear_session()
    rng = rng_for(cid)
    x = rounded(rng.normal(size=(20, 3)))
    y = classes(rng, x, 2)
    xv = rounded(rng.normal(size=(9, 3)))
    yv = classes(rng, xv, 2)

    def batches(xs, ys, size):
        """Cycles over the data in order, forever: batch k is rows [k*size, (k+1)*size) mod pass."""
        while True:
            for start in range(0, len(xs), size):
                yield xs[start : start + size], ys[start : start + size]

    class Batches(keras.utils.PyDataset):
        """A re-iterable dataset of in-order batches (Keras iterates it afresh per evaluation)."""

        def __init__(self, xs, ys, size):
            super().__init__()
            self.xs, self.ys, self.size = xs, ys, size

        def __len__(self):
            return -(-len(self.xs) // self.size)

        def __getitem__(self, i):
            s = slice(i * self.size, (i + 1) * self.size)
            return self.xs[s], self.ys[s]

    model = keras.Sequential(
        [
            keras.Input((3,)),
            layers.Dense(4, activation="relu"),
            layers.Dense(2, activation="softmax"),
        ]
    )
    set_weights(model, rng)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.2),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return record(
        cid,
        "an endless generator of batches of 6 over 20 samples (6, 6, 6, 2, then again), "
        "steps_per_epoch=3 carrying on across epochs; a PyDataset of batches of 4, 4, 1 for "
        "validation with validation_steps=2: every evaluation restarts at its first batch",
        model,
        {"x": x, "y": y, "x_val": xv, "y_val": yv},
        lambda: model.fit(
            batches(x, y, 6),
            steps_per_epoch=3,
            epochs=3,
            validation_data=Batches(xv, yv, 4),
            validation_steps=2,
            verbose=0,
        ),
        lambda d: model.evaluate(xv, yv, batch_size=4, verbose=0, return_dict=d),
        lambda: model.predict(xv, batch_size=4, verbose=0),
        lambda: (
            model.train_on_batch(x[:4], y[:4], return_dict=True),
            model.test_on_batch(xv, yv),
        ),
    )


def arrays_steps():
    """Arrays with steps_per_epoch=3 over 4 batches: the pass carries on and runs out in epoch 2."""
    cid = "arrays_steps"
    keras.backend.clear_session()
    rng = rng_for(cid)
    x = rounded(rng.normal(size=(14, 3)))
    y = rounded(x @ rng.normal(size=(3, 1)))
    model = keras.Sequential(
        [keras.Input((3,)), layers.Dense(3, activation="relu"), layers.Dense(1)]
    )
    set_weights(model, rng)
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.05), loss="mse", metrics=["mae"]
    )
    return record(
        cid,
        "14 samples in batches of 4 (4 steps, the last of 2) with steps_per_epoch=3 and epochs=3: "
        "epoch 1 takes batches 0-2, epoch 2 batch 3 and then runs out, epoch 3 starts a new pass",
        model,
        {"x": x, "y": y},
        lambda: model.fit(
            x, y, batch_size=4, steps_per_epoch=3, epochs=3, shuffle=False, verbose=0
        ),
        lambda d: model.evaluate(x, y, batch_size=32, verbose=0, return_dict=d),
        lambda: model.predict(x, batch_size=4, verbose=0),
        lambda: (
            model.train_on_batch(x[:4], y[:4], return_dict=True),
            model.test_on_batch(x, y),
        ),
    )


def flat_metrics_list_error():
    """Keras refuses a flat metrics list for a model with two outputs."""
    keras.backend.clear_session()
    i = keras.Input((2,), name="i")
    model = keras.Model(i, [layers.Dense(1, name="o1")(i), layers.Dense(1, name="o2")(i)])
    model.compile(optimizer="sgd", loss=["mse", "mse"], metrics=["mae"])
    x = np.zeros((2, 2), np.float32)
    y = np.zeros((2, 1), np.float32)
    try:
        model.fit(x, [y, y], verbose=0)
    except ValueError as e:
        return {"id": "flat_metrics_list_two_outputs", "error": "ValueError", "message": str(e)}
    raise AssertionError("Keras accepted a flat metrics list for two outputs")


def flat_numbers(x):
    """Every recorded number of a result (arrays, lists, dicts in key order) in one list."""
    if isinstance(x, dict) and "data" in x:
        return list(x["data"])
    if isinstance(x, dict):
        return [v for k in sorted(x) for v in flat_numbers(x[k])]
    if isinstance(x, list):
        return [v for e in x for v in flat_numbers(e)]
    return [x]


RESULTS = [
    "history",
    "weights_after_fit",
    "evaluate_dict",
    "predict",
    "train_on_batch",
    "weights_after_train_on_batch",
]


def float64_noise(cases):
    with open(os.path.join(OUT, "fit.json")) as f:
        recorded = {c["id"]: c for c in json.load(f)["cases"]}
    for case in cases:
        ref = recorded[case["id"]]
        got = np.array([v for k in RESULTS for v in flat_numbers(case[k])], np.float64)
        want = np.array([v for k in RESULTS for v in flat_numbers(ref[k])], np.float64)
        diff = np.abs(got - want)
        i = int(np.argmax(diff))
        print(
            f"{case['id']}: max |float64 - float32| = {diff[i]:.3g} (at a value of {want[i]:.4g}),"
            f" max relative {np.max(diff / np.maximum(np.abs(want), 1e-3)):.3g}"
        )


def main():
    if FLOAT64_NOISE:
        keras.config.set_floatx("float64")
    cases = [
        mlp_l2_sgd(),
        regression_adam_sample_weight(),
        binary_class_weight(),
        two_in_two_out(),
        batchnorm_adam(),
        generator_steps(),
        arrays_steps(),
    ]
    if FLOAT64_NOISE:
        float64_noise(cases)
        return
    fixture = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "numpy_version": np.__version__,
        "cases": cases,
        "errors": [flat_metrics_list_error()],
    }
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "fit.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
