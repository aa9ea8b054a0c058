"""Writes test-fixtures/reference/keras-losses/losses.json: for every loss class Cornu exports,
two to eight cases with non-default arguments (from_logits, label_smoothing, axis, ignore_class,
alpha/gamma/apply_class_balancing, delta, every reduction including None), sample weights of
several shapes (per sample, per timestep, [batch, 1]), rank-3 inputs, sparse labels with a
trailing size-1 axis, probabilities of exactly 0 and 1 and large logits. Each case holds:

- `class_name`, `kwargs` (the constructor's keyword arguments, snake_case) and `config`
  (Keras's `loss.get_config()`, tuples as lists);
- `y_true`, `y_pred`, `sample_weight` (or null) as {dtype, shape, data (flat, row-major)};
- `output`: what `loss(y_true, y_pred, sample_weight=...)` returns (float32), or `keras_error`
  (the exception's type and message) where Keras refuses the inputs;
- `fn_output`: what the function form `loss.fn(y_true, y_pred, **fn_kwargs)` returns, where the
  inputs already have the ranks the function expects;
- `numpy_reference` (a few cases only): a float64 numpy value of the same formula without
  Keras's probability clipping, for the cases where Cornu deliberately differs from Keras (the
  test asserts Cornu against it and the difference against Keras).

Run with real Keras (offline is fine):

    KERAS_BACKEND=jax python packages/core/scripts/reference/keras_losses.py

Generated with Keras 3.15.1, jax 0.10.2 (CPU), numpy 2.4.6. Inputs come from numpy
default_rng(20260701 + crc32(case id)), rounded to 4 decimals so that both sides read the same
float32 values.
"""
import json
import os
import zlib

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402
import keras  # noqa: E402

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "test-fixtures",
    "reference",
    "keras-losses",
    "losses.json",
)
SEED = 20260701
EPS = 1e-7

CASES = []


def rng_for(case_id):
    return np.random.default_rng(SEED + zlib.crc32(case_id.encode()))


def r4(a):
    return np.round(np.asarray(a, dtype=np.float64), 4).astype(np.float32)


def tensor_json(a):
    a = np.asarray(a)
    if a.dtype.kind == "f":
        data = [float("%.9g" % v) for v in a.astype(np.float64).reshape(-1)]
        dtype = "float32"
    else:
        data = [int(v) for v in a.reshape(-1)]
        dtype = "int32"
    return {"dtype": dtype, "shape": list(a.shape), "data": data}


def plain(v):
    """get_config values as JSON: tuples become lists."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def add(case_id, cls, kwargs, y_true, y_pred, sample_weight=None, fn=True, numpy_reference=None, note=None):
    loss = getattr(keras.losses, cls)(**kwargs)
    entry = {
        "id": case_id,
        "class_name": cls,
        "kwargs": kwargs,
        "config": plain(loss.get_config()),
        "y_true": tensor_json(y_true),
        "y_pred": tensor_json(y_pred),
        "sample_weight": None if sample_weight is None else tensor_json(sample_weight),
    }
    try:
        out = loss(y_true, y_pred, sample_weight=sample_weight)
        entry["output"] = tensor_json(np.asarray(out, dtype=np.float32))
    except Exception as e:  # noqa: BLE001 - the refusal itself is the reference
        entry["keras_error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
    if fn:
        out = loss.fn(y_true, y_pred, **loss._fn_kwargs)
        entry["fn_output"] = tensor_json(np.asarray(out, dtype=np.float32))
    if numpy_reference is not None:
        entry["numpy_reference"] = tensor_json(np.asarray(numpy_reference, dtype=np.float32))
    if note:
        entry["note"] = note
    CASES.append(entry)


def probs(rng, shape, axis=-1):
    p = rng.uniform(0.05, 1.0, size=shape)
    return r4(p / p.sum(axis=axis, keepdims=True))


def onehot(rng, shape, axis=-1):
    classes = shape[axis]
    idx = rng.integers(0, classes, size=[d for i, d in enumerate(shape) if i != axis % len(shape)])
    return np.moveaxis(np.eye(classes, dtype=np.float32)[idx], -1, axis)


def normal(rng, shape, scale=1.0):
    return r4(rng.normal(size=shape) * scale)


def uniform(rng, shape, lo=0.0, hi=1.0):
    return r4(rng.uniform(lo, hi, size=shape))


def binary(rng, shape):
    return rng.integers(0, 2, size=shape).astype(np.float32)


# --- CategoricalCrossentropy ---------------------------------------------------------------
def categorical():
    cls = "CategoricalCrossentropy"
    i = "cce_unnormalised_probs"
    g = rng_for(i)
    # Probabilities that do not sum to 1: Keras renormalises along the class axis.
    add(i, cls, {}, onehot(g, (4, 5)), uniform(g, (4, 5), 0.05, 1.0))
    i = "cce_logits_smoothing_sum_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"from_logits": True, "label_smoothing": 0.1, "reduction": "sum", "name": "cce_a"},
        onehot(g, (4, 5)),
        normal(g, (4, 5), 2.0),
        sample_weight=r4([0.5, 1.0, 2.0, 0.0]),
    )
    i = "cce_axis1_rank3_smoothing"
    g = rng_for(i)
    # axis=1 with label smoothing: Keras counts classes from y_true.shape[-1] (3), not the axis.
    add(
        i,
        cls,
        {"axis": 1, "label_smoothing": 0.2, "reduction": "none"},
        onehot(g, (2, 4, 3), axis=1),
        probs(g, (2, 4, 3), axis=1),
    )
    i = "cce_logits_axis1_rank3"
    g = rng_for(i)
    # The class axis is not the last one: the log-softmax runs along axis 1.
    add(
        i,
        cls,
        {"from_logits": True, "axis": 1, "reduction": "none"},
        onehot(g, (2, 4, 3), axis=1),
        normal(g, (2, 4, 3), 2.0),
    )
    i = "cce_sparse_labels_refused"
    # Integer labels belong to SparseCategoricalCrossentropy: Keras refuses the shapes.
    add(i, cls, {}, np.array([0, 2], np.int32), np.full((2, 3), 1 / 3, np.float32), fn=False)
    i = "cce_rank3_timestep_sw_mean_with_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"from_logits": True, "reduction": "mean_with_sample_weight"},
        onehot(g, (2, 3, 4)),
        normal(g, (2, 3, 4)),
        sample_weight=r4([[1.0, 0.5, 0.0], [2.0, 1.0, 0.25]]),
    )
    i = "cce_exact_zero_one_probs"
    # One row right with p = 1, one wrong with p = 0 for the true class, one uniform.
    add(
        i,
        cls,
        {"reduction": "none"},
        np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32),
        np.array([[1, 0, 0], [1, 0, 0], [1 / 3, 1 / 3, 1 / 3]], np.float32),
    )
    i = "cce_large_logits"
    add(
        i,
        cls,
        {"from_logits": True, "reduction": None},
        np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32),
        np.array([[200, -200, 0], [150, -50, 10], [-300, 0, 300]], np.float32),
    )


# --- SparseCategoricalCrossentropy ---------------------------------------------------------
def sparse():
    cls = "SparseCategoricalCrossentropy"
    i = "scce_int_labels_probs"
    g = rng_for(i)
    add(i, cls, {}, g.integers(0, 5, size=(4,)).astype(np.int32), uniform(g, (4, 5), 0.05, 1.0))
    i = "scce_trailing_dim_logits_sum_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"from_logits": True, "reduction": "sum"},
        g.integers(0, 4, size=(5, 1)).astype(np.int32),
        normal(g, (5, 4), 2.0),
        sample_weight=r4([1.0, 0.5, 2.0, 0.0, 1.5]),
    )
    i = "scce_ignore_class_rank3"
    g = rng_for(i)
    labels = g.integers(0, 4, size=(2, 3)).astype(np.int32)
    labels[0, 1] = -1
    labels[1, 2] = -1
    add(i, cls, {"from_logits": True, "ignore_class": -1}, labels, normal(g, (2, 3, 4)))
    i = "scce_ignore_class_timestep_sw_mean_with_sw"
    g = rng_for(i)
    labels = g.integers(0, 4, size=(2, 3, 1)).astype(np.int32)
    labels[0, 0, 0] = 2
    labels[1, 1, 0] = 2
    add(
        i,
        cls,
        {"from_logits": True, "ignore_class": 2, "reduction": "mean_with_sample_weight"},
        labels,
        normal(g, (2, 3, 4)),
        sample_weight=r4([[1.0, 0.5, 2.0], [0.25, 1.0, 3.0]]),
    )
    i = "scce_ignore_class_timestep_sw_default_reduction"
    g = rng_for(i)
    labels = g.integers(0, 3, size=(2, 4)).astype(np.int32)
    labels[0, 3] = 1
    labels[1, 1] = 1
    labels[1, 2] = 1
    add(
        i,
        cls,
        {"from_logits": True, "ignore_class": 1},
        labels,
        normal(g, (2, 4, 3)),
        sample_weight=r4([[1.0, 2.0, 0.5, 1.0], [0.0, 1.0, 3.0, 1.5]]),
    )
    i = "scce_ignore_class_mean_with_sw_without_sw"
    g = rng_for(i)
    labels = np.array([[0, 2, 2], [1, 2, 0]], np.int32)
    # No sample weights: the mask alone is the weight, so the divisor is the count of valid labels.
    add(
        i,
        cls,
        {"ignore_class": 2, "reduction": "mean_with_sample_weight"},
        labels,
        probs(g, (2, 3, 4)),
    )
    i = "scce_ignore_class_probs_none"
    g = rng_for(i)
    labels = g.integers(0, 3, size=(2, 4, 1)).astype(np.int32)
    labels[0, 2, 0] = 0
    labels[1, 0, 0] = 0
    add(i, cls, {"ignore_class": 0, "reduction": "none"}, labels, probs(g, (2, 4, 3)))
    i = "scce_ignore_class_sum"
    g = rng_for(i)
    labels = np.array([1, 3, 3, 0, 2], np.int32)
    add(
        i,
        cls,
        {"from_logits": True, "ignore_class": 3, "reduction": "sum"},
        labels,
        normal(g, (5, 4)),
        sample_weight=r4([1.0, 2.0, 0.5, 1.0, 0.5]),
    )
    i = "scce_large_logits_float_labels"
    add(
        i,
        cls,
        {"from_logits": True, "reduction": "none", "name": "sparse_xent"},
        np.array([0.0, 1.0, 2.0], np.float32),
        np.array([[100, -100, 0], [100, -100, 0], [-500, 200, 300]], np.float32),
    )
    i = "scce_onehot_labels_refused"
    add(i, cls, {}, np.eye(3, dtype=np.float32)[[0, 2]], np.full((2, 3), 1 / 3, np.float32), fn=False)
    i = "scce_exact_zero_one_probs_mean"
    add(
        i,
        cls,
        {"reduction": "mean"},
        np.array([[0], [1], [2]], np.int32),
        np.array([[1, 0, 0], [1, 0, 0], [0, 0.5, 0.5]], np.float32),
    )


# --- BinaryCrossentropy --------------------------------------------------------------------
def binary_ce():
    cls = "BinaryCrossentropy"
    i = "bce_probs"
    g = rng_for(i)
    add(i, cls, {}, binary(g, (4, 3)), uniform(g, (4, 3), 0.01, 0.99))
    i = "bce_logits_smoothing_sum_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"from_logits": True, "label_smoothing": 0.2, "reduction": "sum"},
        binary(g, (4, 3)),
        normal(g, (4, 3), 3.0),
        sample_weight=r4([0.5, 1.0, 0.0, 2.0]),
    )
    i = "bce_axis0_mean"
    g = rng_for(i)
    add(i, cls, {"axis": 0, "reduction": "mean"}, binary(g, (3, 4)), uniform(g, (3, 4), 0.01, 0.99))
    i = "bce_rank1_true_column_pred"
    g = rng_for(i)
    # y_true [4] against y_pred [4, 1]: the wrapper expands y_true to [4, 1].
    add(i, cls, {"reduction": "none"}, binary(g, (4,)), uniform(g, (4, 1), 0.01, 0.99), fn=False)
    i = "bce_exact_zero_one"
    add(
        i,
        cls,
        {"reduction": "none"},
        np.array([[1, 0, 1, 0], [1, 0, 0, 1]], np.float32),
        np.array([[1, 0, 0, 1], [0.5, 0.5, 1, 0]], np.float32),
    )
    i = "bce_large_logits_rank3_timestep_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"from_logits": True},
        np.array([[[1, 0], [0, 1], [1, 1]], [[0, 0], [1, 0], [0, 1]]], np.float32),
        np.array([[[100, -100], [100, -100], [30, 50]], [[-80, 80], [0, 1], [-1, 200]]], np.float32),
        sample_weight=r4([[1.0, 0.5, 2.0], [0.0, 1.0, 1.0]]),
    )


# --- BinaryFocalCrossentropy ---------------------------------------------------------------
def np_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_bfce_from_logits(y, x, alpha, gamma, balance, smoothing, axis=-1):
    y = y.astype(np.float64) * (1 - smoothing) + 0.5 * smoothing
    x = x.astype(np.float64)
    bce = np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x)))
    p = np_sigmoid(x)
    p_t = y * p + (1 - y) * (1 - p)
    out = (1 - p_t) ** gamma * bce
    if balance:
        out = (y * alpha + (1 - y) * (1 - alpha)) * out
    return out.mean(axis=axis)


def binary_focal():
    cls = "BinaryFocalCrossentropy"
    i = "bfce_probs"
    g = rng_for(i)
    add(i, cls, {}, binary(g, (4, 3)), uniform(g, (4, 3), 0.01, 0.99))
    i = "bfce_balanced_alpha_gamma_sum"
    g = rng_for(i)
    add(
        i,
        cls,
        {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5, "reduction": "sum"},
        binary(g, (4, 3)),
        uniform(g, (4, 3), 0.01, 0.99),
        sample_weight=r4([[1.0], [0.5], [2.0], [0.0]]),
    )
    i = "bfce_logits_smoothing_moderate"
    g = rng_for(i)
    add(
        i,
        cls,
        {"from_logits": True, "label_smoothing": 0.1, "gamma": 3.0, "reduction": "none"},
        binary(g, (3, 4)),
        normal(g, (3, 4), 2.0),
    )
    i = "bfce_rank3_axis1_balanced_logits"
    g = rng_for(i)
    add(
        i,
        cls,
        {"from_logits": True, "apply_class_balancing": True, "axis": 1, "reduction": "none"},
        binary(g, (2, 3, 4)),
        normal(g, (2, 3, 4), 1.5),
    )
    i = "bfce_exact_zero_one"
    add(
        i,
        cls,
        {"reduction": "none"},
        np.array([[1, 0, 1, 0], [1, 0, 0, 1]], np.float32),
        np.array([[1, 0, 0, 1], [0.5, 0.5, 1, 0]], np.float32),
    )
    i = "bfce_large_logits"
    y = np.array([[1, 0, 1, 0], [0, 1, 1, 0]], np.float32)
    x = np.array([[-30, 30, 40, -60], [25, -20, 3, -2]], np.float32)
    kw = {"from_logits": True, "apply_class_balancing": True, "gamma": 1.0, "reduction": "none"}
    add(
        i,
        cls,
        kw,
        y,
        x,
        numpy_reference=np_bfce_from_logits(y, x, 0.25, 1.0, True, 0.0),
        note="Keras 3 takes sigmoid(x) and a clipped crossentropy, capped at -log(1e-7); Cornu keeps the logits path",
    )


# --- CategoricalFocalCrossentropy ----------------------------------------------------------
def np_cfce_from_logits(y, x, alpha, gamma, smoothing, axis=-1):
    y = y.astype(np.float64)
    if smoothing:
        y = y * (1 - smoothing) + smoothing / y.shape[-1]
    x = x.astype(np.float64)
    m = x.max(axis=axis, keepdims=True)
    logp = x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))
    p = np.exp(logp)
    return (alpha * (1 - p) ** gamma * -y * logp).sum(axis=axis)


def categorical_focal():
    cls = "CategoricalFocalCrossentropy"
    i = "cfce_unnormalised_probs"
    g = rng_for(i)
    add(i, cls, {}, onehot(g, (4, 5)), uniform(g, (4, 5), 0.05, 1.0))
    i = "cfce_logits_alpha_gamma_smoothing_sum"
    g = rng_for(i)
    add(
        i,
        cls,
        {"from_logits": True, "alpha": 0.5, "gamma": 3.0, "label_smoothing": 0.1, "reduction": "sum"},
        onehot(g, (4, 5)),
        normal(g, (4, 5), 2.0),
        sample_weight=r4([1.0, 0.0, 0.5, 2.0]),
    )
    i = "cfce_axis1_rank3"
    g = rng_for(i)
    add(
        i,
        cls,
        {"axis": 1, "gamma": 1.0, "reduction": "none"},
        onehot(g, (2, 4, 3), axis=1),
        probs(g, (2, 4, 3), axis=1),
    )
    i = "cfce_logits_axis1_rank3_smoothing_sum"
    g = rng_for(i)
    add(
        i,
        cls,
        {"from_logits": True, "axis": 1, "label_smoothing": 0.1, "reduction": "sum"},
        onehot(g, (2, 4, 3), axis=1),
        normal(g, (2, 4, 3), 1.5),
    )
    i = "cfce_exact_zero_one_probs"
    add(
        i,
        cls,
        {"reduction": "none"},
        np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32),
        np.array([[1, 0, 0], [1, 0, 0], [0.2, 0.3, 0.5]], np.float32),
    )
    i = "cfce_large_logits"
    y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], np.float32)
    x = np.array([[-20, 10, 0], [5, -30, 0], [1, 2, 3]], np.float32)
    kw = {"from_logits": True, "gamma": 0.5, "reduction": "none"}
    add(
        i,
        cls,
        kw,
        y,
        x,
        numpy_reference=np_cfce_from_logits(y, x, 0.25, 0.5, 0.0),
        note="Keras 3 clips softmax(x) to [1e-7, 1 - 1e-7] before the log; Cornu uses log_softmax",
    )


# --- KLDivergence, Poisson -----------------------------------------------------------------
def kl_poisson():
    cls = "KLDivergence"
    i = "kld_probs"
    g = rng_for(i)
    add(i, cls, {}, probs(g, (4, 5)), probs(g, (4, 5)))
    i = "kld_rank3_timestep_sw_sum"
    g = rng_for(i)
    add(
        i,
        cls,
        {"reduction": "sum", "name": "kl"},
        probs(g, (2, 3, 4)),
        probs(g, (2, 3, 4)),
        sample_weight=r4([[1.0, 0.0, 2.0], [0.5, 1.0, 1.0]]),
    )
    i = "kld_exact_zeros_and_above_one"
    add(
        i,
        cls,
        {"reduction": "none"},
        np.array([[1, 0, 0], [0.5, 0.5, 0], [0, 0, 1.5]], np.float32),
        np.array([[0, 1, 0], [0.5, 0, 0.5], [0.2, 0.3, 2.0]], np.float32),
    )
    cls = "Poisson"
    i = "poisson_counts"
    g = rng_for(i)
    add(i, cls, {}, g.poisson(2.0, size=(4, 3)).astype(np.float32), uniform(g, (4, 3), 0.1, 4.0))
    i = "poisson_zero_pred_none"
    add(
        i,
        cls,
        {"reduction": "none"},
        np.array([[0, 1, 3], [2, 0, 0]], np.float32),
        np.array([[0, 0, 2.5], [1.0, 0, 3.0]], np.float32),
    )
    i = "poisson_rank3_per_sample_sw_mean_with_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"reduction": "mean_with_sample_weight"},
        g.poisson(1.0, size=(2, 3, 4)).astype(np.float32),
        uniform(g, (2, 3, 4), 0.1, 3.0),
        sample_weight=r4([[0.5, 1.0, 2.0], [1.0, 1.0, 0.0]]),
    )


# --- Regression ----------------------------------------------------------------------------
def regression():
    cls = "MeanSquaredError"
    i = "mse_default"
    g = rng_for(i)
    add(i, cls, {}, normal(g, (4, 3)), normal(g, (4, 3)))
    i = "mse_rank3_timestep_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"reduction": "sum"},
        normal(g, (2, 3, 4)),
        normal(g, (2, 3, 4)),
        sample_weight=r4([[1.0, 0.5, 0.0], [2.0, 1.0, 1.0]]),
    )
    i = "mse_rank1_true_column_pred_column_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"reduction": "none"},
        normal(g, (4,)),
        normal(g, (4, 1)),
        sample_weight=r4([[1.0], [2.0], [0.5], [0.0]]),
        fn=False,
    )
    i = "mse_mean_reduction_null_name"
    g = rng_for(i)
    add(i, cls, {"reduction": "mean", "name": "my_mse"}, normal(g, (3, 5)), normal(g, (3, 5)))
    i = "mse_reduction_None"
    g = rng_for(i)
    add(i, cls, {"reduction": None}, normal(g, (2, 3, 2)), normal(g, (2, 3, 2)))
    # Per-sample weights [batch] against rank-2 losses [batch, time]: Keras broadcasts them
    # against the LAST axis (numpy rules), which fails when batch != time and mixes up the axes
    # when batch == time; Cornu aligns them with the batch axis. numpy_reference is the per-sample
    # reading.
    i = "mse_rank3_per_sample_sw_batch_ne_time"
    g = rng_for(i)
    yt, yp, sw = normal(g, (2, 3, 4)), normal(g, (2, 3, 4)), r4([0.5, 2.0])
    ref = (((yt.astype(np.float64) - yp) ** 2).mean(-1) * sw[:, None]).sum() / 6
    add(i, cls, {}, yt, yp, sample_weight=sw, numpy_reference=ref, note="Keras raises")
    i = "mse_rank3_per_sample_sw_batch_eq_time"
    g = rng_for(i)
    yt, yp, sw = normal(g, (3, 3, 2)), normal(g, (3, 3, 2)), r4([0.5, 2.0, 0.0])
    ref = ((yt.astype(np.float64) - yp) ** 2).mean(-1) * sw[:, None]
    add(
        i,
        cls,
        {"reduction": "none"},
        yt,
        yp,
        sample_weight=sw,
        numpy_reference=ref,
        note="Keras weights timestep j by sw[j]",
    )

    cls = "MeanAbsoluteError"
    i = "mae_default"
    g = rng_for(i)
    add(i, cls, {}, normal(g, (4, 3)), normal(g, (4, 3)))
    i = "mae_per_sample_sw_mean_with_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"reduction": "mean_with_sample_weight"},
        normal(g, (4, 3)),
        normal(g, (4, 3)),
        sample_weight=r4([1.0, 0.0, 2.0, 0.5]),
    )
    i = "mae_zero_sample_weights_mean_with_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"reduction": "mean_with_sample_weight"},
        normal(g, (2, 3)),
        normal(g, (2, 3)),
        sample_weight=np.zeros((2,), np.float32),
    )

    i = "mae_rank3_sw_batch_by_one_sum"
    g = rng_for(i)
    # [batch, 1] weights broadcast over the time axis on both sides.
    add(
        i,
        cls,
        {"reduction": "sum"},
        normal(g, (2, 3, 4)),
        normal(g, (2, 3, 4)),
        sample_weight=r4([[0.5], [2.0]]),
    )

    i = "mae_rank3_sw_batch_by_one_mean_with_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"reduction": "mean_with_sample_weight"},
        normal(g, (2, 3, 4)),
        normal(g, (2, 3, 4)),
        sample_weight=r4([[0.5], [2.0]]),
    )
    i = "mae_mean_with_sw_without_sw"
    g = rng_for(i)
    add(i, cls, {"reduction": "mean_with_sample_weight"}, normal(g, (3, 2)), normal(g, (3, 2)))

    cls = "MeanAbsolutePercentageError"
    i = "mape_with_zero_targets"
    g = rng_for(i)
    yt = normal(g, (3, 4))
    yt[0, 1] = 0.0
    yt[2, 3] = 0.0
    add(i, cls, {"reduction": "none"}, yt, normal(g, (3, 4)))
    i = "mape_sum_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"reduction": "sum"},
        uniform(g, (4, 2), 0.5, 3.0),
        uniform(g, (4, 2), 0.5, 3.0),
        sample_weight=r4([1.0, 2.0, 0.5, 0.0]),
    )

    cls = "MeanSquaredLogarithmicError"
    i = "msle_with_negatives"
    g = rng_for(i)
    add(i, cls, {"reduction": "none"}, normal(g, (3, 4), 2.0), normal(g, (3, 4), 2.0))
    i = "msle_rank3_sum"
    g = rng_for(i)
    add(i, cls, {"reduction": "sum"}, uniform(g, (2, 3, 2), 0, 5), uniform(g, (2, 3, 2), 0, 5))

    cls = "Huber"
    i = "huber_delta_half"
    g = rng_for(i)
    add(i, cls, {"delta": 0.5, "reduction": "none"}, normal(g, (3, 4)), normal(g, (3, 4), 2.0))
    i = "huber_delta_two_rank3_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"delta": 2.0, "name": "hub"},
        normal(g, (2, 3, 4)),
        normal(g, (2, 3, 4), 3.0),
        sample_weight=r4([[1.0, 0.5, 2.0], [0.0, 1.0, 1.0]]),
    )
    i = "huber_default_sum"
    g = rng_for(i)
    add(i, cls, {"reduction": "sum"}, normal(g, (4, 2)), normal(g, (4, 2), 2.0))

    cls = "LogCosh"
    i = "logcosh_default"
    g = rng_for(i)
    add(i, cls, {}, normal(g, (4, 3)), normal(g, (4, 3)))
    i = "logcosh_large_errors_none"
    add(
        i,
        cls,
        {"reduction": "none"},
        np.array([[0, 0, 0], [1, -1, 0]], np.float32),
        np.array([[50, -80, 1e-3], [200, -200, 0]], np.float32),
    )

    cls = "CosineSimilarity"
    i = "cosine_default"
    g = rng_for(i)
    add(i, cls, {}, normal(g, (4, 3)), normal(g, (4, 3)))
    i = "cosine_axis1_rank3_none"
    g = rng_for(i)
    add(i, cls, {"axis": 1, "reduction": "none"}, normal(g, (2, 3, 4)), normal(g, (2, 3, 4)))
    i = "cosine_zero_and_tiny_vectors"
    # Keras floors the norm at epsilon (1e-7): a vector of norm 5e-7 is still normalised, one of
    # norm 5e-8 is scaled by 1e7.
    add(
        i,
        cls,
        {"reduction": "none"},
        np.array([[0, 0, 0], [3e-7, 4e-7, 0], [3e-8, 4e-8, 0], [1, 2, 3]], np.float32),
        np.array([[1, 2, 3], [3, 4, 0], [3, 4, 0], [2e-7, 0, 0]], np.float32),
    )


# --- Hinge family --------------------------------------------------------------------------
def hinges():
    for cls, short in (("Hinge", "hinge"), ("SquaredHinge", "sqhinge")):
        i = f"{short}_binary01_labels"
        g = rng_for(i)
        add(i, cls, {}, binary(g, (4, 3)), normal(g, (4, 3)))
        i = f"{short}_pm1_labels_none"
        g = rng_for(i)
        add(i, cls, {"reduction": "none"}, binary(g, (4, 3)) * 2 - 1, normal(g, (4, 3)))
        i = f"{short}_non_binary_labels_sum"
        g = rng_for(i)
        # Not all 0/1: Keras leaves the labels as they are.
        add(i, cls, {"reduction": "sum"}, r4([[0, 1, 0.5], [1, 0, 1]]), normal(g, (2, 3)))
        i = f"{short}_rank3_timestep_sw"
        g = rng_for(i)
        add(
            i,
            cls,
            {"reduction": "mean_with_sample_weight"},
            binary(g, (2, 3, 2)),
            normal(g, (2, 3, 2)),
            sample_weight=r4([[1.0, 0.5, 0.0], [2.0, 1.0, 1.0]]),
        )
    cls = "CategoricalHinge"
    i = "cathinge_default"
    g = rng_for(i)
    add(i, cls, {}, onehot(g, (4, 5)), normal(g, (4, 5)))
    i = "cathinge_rank3_sum_sw"
    g = rng_for(i)
    add(
        i,
        cls,
        {"reduction": "sum"},
        onehot(g, (2, 3, 4)),
        normal(g, (2, 3, 4)),
        sample_weight=r4([[0.5, 1.0, 0.0], [2.0, 1.0, 0.25]]),
    )
    i = "cathinge_none"
    g = rng_for(i)
    add(i, cls, {"reduction": "none"}, onehot(g, (3, 4)), uniform(g, (3, 4)))


def np_tversky(y, p, alpha, beta, axis):
    y, p = y.astype(np.float64), p.astype(np.float64)
    tp = (y * p).sum(axis=axis)
    fp = ((1 - y) * p).sum(axis=axis)
    fn = (y * (1 - p)).sum(axis=axis)
    return 1 - tp / (tp + alpha * fp + beta * fn + EPS)


# --- Segmentation --------------------------------------------------------------------------
def segmentation():
    cls = "Dice"
    i = "dice_axis_none"
    g = rng_for(i)
    add(i, cls, {}, binary(g, (2, 4, 4, 1)), uniform(g, (2, 4, 4, 1)))
    i = "dice_axis_12_none"
    g = rng_for(i)
    add(i, cls, {"axis": (1, 2), "reduction": "none"}, binary(g, (2, 3, 3, 2)), uniform(g, (2, 3, 3, 2)))
    i = "dice_axis_last_rank3_sw_sum"
    g = rng_for(i)
    add(
        i,
        cls,
        {"axis": -1, "reduction": "sum"},
        binary(g, (2, 3, 4)),
        uniform(g, (2, 3, 4)),
        sample_weight=r4([[1.0, 0.5, 0.0], [2.0, 1.0, 1.0]]),
    )
    i = "dice_axis_none_per_sample_sw"
    g = rng_for(i)
    # A scalar loss times [batch] weights: the product has the weights' shape, then its mean.
    add(i, cls, {}, binary(g, (3, 4)), uniform(g, (3, 4)), sample_weight=r4([1.0, 2.0, 0.5]))
    cls = "Tversky"
    note = (
        "Keras 3.15.1 weights sum(y_true * (1 - y_pred)) (false negatives) by alpha and "
        "sum((1 - y_true) * y_pred) (false positives) by beta, the reverse of its docstring "
        "(fixed upstream in keras-team/keras#23333); numpy_reference is the documented "
        "TP / (TP + alpha FP + beta FN)"
    )
    i = "tversky_alpha_beta_axis_none"
    g = rng_for(i)
    yt, yp = binary(g, (2, 4, 4, 1)), uniform(g, (2, 4, 4, 1))
    add(
        i,
        cls,
        {"alpha": 0.3, "beta": 0.7},
        yt,
        yp,
        numpy_reference=np_tversky(yt, yp, 0.3, 0.7, None),
        note=note,
    )
    i = "tversky_axis_12_sum"
    g = rng_for(i)
    yt, yp = binary(g, (2, 3, 3, 2)), uniform(g, (2, 3, 3, 2))
    add(
        i,
        cls,
        {"alpha": 0.8, "beta": 0.2, "axis": [1, 2], "reduction": "sum", "name": "tv"},
        yt,
        yp,
        numpy_reference=np_tversky(yt, yp, 0.8, 0.2, (1, 2)).sum(),
        note=note,
    )
    i = "tversky_axis_last_none"
    g = rng_for(i)
    add(i, cls, {"axis": -1, "reduction": "none"}, binary(g, (3, 5)), uniform(g, (3, 5)))


# --- CTC -----------------------------------------------------------------------------------
def ctcs():
    cls = "CTC"
    i = "ctc_default"
    g = rng_for(i)
    labels = np.array([[1, 2, 3, 0], [2, 2, 0, 0], [4, 0, 0, 0]], np.int32)
    add(i, cls, {}, labels, normal(g, (3, 8, 5), 2.0))
    i = "ctc_repeats_sum_sw"
    g = rng_for(i)
    labels = np.array([[1, 1, 2], [3, 3, 3]], np.int32)
    add(i, cls, {"reduction": "sum"}, labels, normal(g, (2, 7, 4)), sample_weight=r4([0.5, 2.0]))
    i = "ctc_none_tight_time"
    g = rng_for(i)
    # Label [1, 1] needs 3 steps (1, blank, 1): exactly what T = 3 gives.
    labels = np.array([[1, 1], [1, 2]], np.int32)
    add(i, cls, {"reduction": "none", "name": "ctc_loss"}, labels, normal(g, (2, 3, 3), 3.0))
    i = "ctc_infeasible_none"
    g = rng_for(i)
    # Sample 0 cannot be aligned ([1, 1] needs 3 steps, T = 2): Keras's optax-style recursion
    # uses log(0) = -1e5 and returns about 1e5; sample 1 is ordinary.
    labels = np.array([[1, 1], [2, 0]], np.int32)
    add(i, cls, {"reduction": "none"}, labels, normal(g, (2, 2, 3)))


def main():
    categorical()
    sparse()
    binary_ce()
    binary_focal()
    categorical_focal()
    kl_poisson()
    regression()
    hinges()
    segmentation()
    ctcs()
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    doc = {
        "generator": "packages/core/scripts/reference/keras_losses.py",
        "keras_version": keras.__version__,
        "jax_version": jax.__version__,
        "numpy_version": np.__version__,
        "backend": keras.backend.backend(),
        "epsilon": keras.backend.epsilon(),
        "cases": CASES,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {os.path.relpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
