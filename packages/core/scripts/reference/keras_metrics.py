"""Writes test-fixtures/reference/keras-metrics/metrics.json: for every metric class Cornu exports,
two to a dozen instances with non-default arguments, each fed several batches through
`update_state` (ragged batch sizes, `sample_weight` of different shapes, tied scores, scores
exactly on a threshold, classes that never occur, scores outside [0, 1]), with `result()` recorded
after every update, after `reset_state()` and after one more update; plus the metric's
`keras.saving.serialize_keras_object` dict (module, class_name, config, registered_name).

Inputs are written as short decimals (numbers that round to the float32 values Keras saw); results
as float32 rounded to 8 significant digits; NaN and +-Infinity as the strings "NaN", "Infinity",
"-Infinity".

Run with real Keras (offline is fine):

    KERAS_BACKEND=jax python packages/core/scripts/reference/keras_metrics.py

Generated with Keras 3.15.1, jax 0.10.2 (CPU), numpy 2.4.6. Seeds: numpy default_rng(20260707 +
crc32(case id)); `keras.backend.clear_session()` before each metric so default names carry no
`_1` suffix.
"""
import json
import os
import warnings
import zlib

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402

M = keras.metrics
OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "test-fixtures",
    "reference",
    "keras-metrics",
)
SEED = 20260707


def number(v):
    v = float(v)
    if np.isnan(v):
        return "NaN"
    if np.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def input_json(a):
    """An input as written: short decimals (they parse to the float32 Keras was given)."""
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [number(round(v, 6)) for v in a.reshape(-1)]}


def result_json(a):
    a = np.asarray(a, dtype=np.float32).astype(np.float64)
    return {"shape": list(a.shape), "data": [number(float("%.8g" % v)) for v in a.reshape(-1)]}


def plain(x):
    """JSON-safe copy of a serialized config (numpy scalars -> Python numbers, tuples -> lists)."""
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    return x


# ---------------------------------------------------------------------------------------------
# Input generators. Scores are quantized so that ties and exact threshold values occur.


def scores(rng, shape, step=0.05, low=0.0, high=1.0):
    x = rng.uniform(low, high, size=shape)
    return np.round(np.round(x / step) * step, 6)


def binary(rng, shape, p=0.5):
    return (rng.random(shape) < p).astype(np.float64)


def onehot(rng, batch, classes, allowed=None):
    allowed = list(range(classes)) if allowed is None else allowed
    ids = rng.choice(allowed, size=batch)
    return np.eye(classes)[ids], ids.astype(np.float64)


def weights(rng, shape, step=0.25):
    """Positive weights on a 0.25 grid, some zero."""
    return np.round(rng.integers(0, 9, size=shape) * step, 6)


def int_weights(rng, shape):
    return rng.integers(0, 4, size=shape).astype(np.float64)


# ---------------------------------------------------------------------------------------------

CASES = []


def case(id, make, batches, kind="pred"):
    """`batches`: all but the last are fed before `reset_state()`, the last one after it. Each is
    a dict with y_true / y_pred (kind 'pred') or values (kind 'values'), and sample_weight."""
    CASES.append({"id": id, "make": make, "batches": batches, "kind": kind})


def batch(y_true, y_pred, sample_weight=None):
    b = {"y_true": y_true, "y_pred": y_pred}
    if sample_weight is not None:
        b["sample_weight"] = sample_weight
    return b


def vbatch(values, sample_weight=None):
    b = {"values": values}
    if sample_weight is not None:
        b["sample_weight"] = sample_weight
    return b


def rng_for(id):
    return np.random.default_rng(SEED + zlib.crc32(id.encode()))


# ---- accuracy ---------------------------------------------------------------------------------


def accuracy_cases():
    r = rng_for("accuracy_rank1_vs_col")
    bs = []
    for n, w in [(5, True), (3, False), (7, True), (4, True)]:
        t = r.integers(0, 3, size=n).astype(np.float64)
        p = np.where(r.random(n) < 0.6, t, r.integers(0, 3, size=n)).reshape(n, 1)
        bs.append(batch(t, p, weights(r, (n,)) if w else None))
    case("accuracy_rank1_vs_col", lambda: M.Accuracy(name="acc"), bs)

    r = rng_for("accuracy_elementwise_weights")
    bs = []
    for n, wshape in [(4, (4, 3)), (6, (6, 1)), (2, (2,)), (3, (3, 3))]:
        t = r.integers(0, 2, size=(n, 3)).astype(np.float64)
        p = np.where(r.random((n, 3)) < 0.5, t, 1 - t)
        bs.append(batch(t, p, weights(r, wshape)))
    case("accuracy_elementwise_weights", lambda: M.Accuracy(), bs)

    r = rng_for("binary_accuracy_threshold_tie")
    bs = []
    for n, wshape in [(5, (5,)), (4, (4, 4)), (6, (6, 1)), (3, None)]:
        t = binary(r, (n, 4))
        p = scores(r, (n, 4), step=0.1)
        p[0, :2] = 0.3  # exactly on the threshold: not above it
        bs.append(batch(t, p, weights(r, wshape) if wshape else None))
    case("binary_accuracy_threshold_tie", lambda: M.BinaryAccuracy(threshold=0.3), bs)

    r = rng_for("binary_accuracy_logits_rank1")
    bs = []
    for n in [6, 2, 5]:
        t = binary(r, (n,))
        p = scores(r, (n, 1), step=0.5, low=-2, high=2)
        bs.append(batch(t, p, weights(r, (n,))))
    case(
        "binary_accuracy_logits_rank1",
        lambda: M.BinaryAccuracy(name="ba_logits", threshold=0.0),
        bs,
    )

    r = rng_for("binary_accuracy_rank3_ragged")
    bs = []
    for n, steps in [(3, 2), (2, 5), (4, 1), (2, 3)]:
        t = binary(r, (n, steps, 2))
        p = scores(r, (n, steps, 2), step=0.25)
        bs.append(batch(t, p, weights(r, (n, steps))))
    case("binary_accuracy_rank3_ragged", lambda: M.BinaryAccuracy(threshold=0.6), bs)

    r = rng_for("categorical_accuracy_ties")
    bs = []
    for n, w in [(5, (5,)), (3, (3, 1)), (6, None), (4, (4,))]:
        t, _ = onehot(r, n, 4)
        p = scores(r, (n, 4), step=0.25)
        p[0] = [0.5, 0.5, 0.25, 0.5]  # tie: the first maximum wins
        bs.append(batch(t, p, weights(r, w) if w else None))
    case("categorical_accuracy_ties", lambda: M.CategoricalAccuracy(name="cat_acc"), bs)

    r = rng_for("categorical_accuracy_rank3_ragged")
    bs = []
    for n, steps in [(2, 3), (3, 1), (1, 4), (2, 2)]:
        t = np.eye(3)[r.integers(0, 3, size=(n, steps))]
        p = scores(r, (n, steps, 3), step=0.1)
        bs.append(batch(t, p, weights(r, (n, steps))))
    case("categorical_accuracy_rank3_ragged", lambda: M.CategoricalAccuracy(), bs)

    r = rng_for("sparse_categorical_accuracy_col_labels")
    bs = []
    for n in [5, 7, 3, 4]:
        t = r.integers(0, 5, size=(n, 1)).astype(np.float64)
        p = scores(r, (n, 5), step=0.2)
        p[0] = [0.4, 0.8, 0.8, 0.0, 0.2]
        t[0, 0] = 2  # the tie goes to class 1: a miss
        bs.append(batch(t, p, weights(r, (n, 1))))
    case("sparse_categorical_accuracy_col_labels", lambda: M.SparseCategoricalAccuracy(), bs)

    r = rng_for("sparse_categorical_accuracy_rank2_ragged")
    bs = []
    for n, steps, w in [(2, 3, (2, 3)), (3, 2, (3,)), (1, 5, None), (2, 4, (2, 4))]:
        t = r.integers(0, 3, size=(n, steps)).astype(np.float64)
        p = scores(r, (n, steps, 3), step=0.1)
        bs.append(batch(t, p, weights(r, w) if w else None))
    case(
        "sparse_categorical_accuracy_rank2_ragged",
        lambda: M.SparseCategoricalAccuracy(name="sca"),
        bs,
    )

    r = rng_for("top_k_categorical_accuracy_ties")
    bs = []
    for n in [6, 3, 5, 4]:
        t, ids = onehot(r, n, 5)
        p = scores(r, (n, 5), step=0.25)
        # Label tied with the 2nd largest: in_top_k counts ties as inside.
        p[0] = [0.75, 0.5, 0.5, 0.5, 0.0]
        t[0] = np.eye(5)[3]
        bs.append(batch(t, p, weights(r, (n,))))
    case("top_k_categorical_accuracy_ties", lambda: M.TopKCategoricalAccuracy(k=2), bs)

    r = rng_for("top_k_categorical_accuracy_k1")
    bs = []
    for n in [4, 2, 7]:
        t, _ = onehot(r, n, 3)
        p = scores(r, (n, 3), step=0.5)
        bs.append(batch(t, p))
    case("top_k_categorical_accuracy_k1", lambda: M.TopKCategoricalAccuracy(k=1, name="top1"), bs)

    r = rng_for("sparse_top_k_ties")
    bs = []
    for n, w in [(5, (5,)), (4, (4, 1)), (6, None), (3, (3,))]:
        t = r.integers(0, 6, size=n).astype(np.float64)
        p = scores(r, (n, 6), step=0.2)
        p[0] = [0.2, 0.6, 0.6, 0.6, 0.6, 0.0]
        t[0] = 4  # 4 values tie for 2nd..5th: the label still counts for k=3
        bs.append(batch(t, p, weights(r, w) if w else None))
    case("sparse_top_k_ties", lambda: M.SparseTopKCategoricalAccuracy(k=3), bs)

    r = rng_for("sparse_top_k_k_above_classes")
    bs = []
    for n in [3, 5, 2]:
        t = r.integers(0, 4, size=(n, 1)).astype(np.float64)
        p = scores(r, (n, 4))
        bs.append(batch(t, p, weights(r, (n,))))
    case(
        "sparse_top_k_k_above_classes",
        lambda: M.SparseTopKCategoricalAccuracy(k=10, name="topk10"),
        bs,
    )

    r = rng_for("sparse_top_k_from_sorted_ids")
    bs = []
    for n in [4, 3, 5]:
        t = r.integers(0, 8, size=n).astype(np.float64)
        ids = np.stack([r.permutation(8)[:4] for _ in range(n)]).astype(np.float64)
        bs.append(batch(t, ids, weights(r, (n,))))
    case(
        "sparse_top_k_from_sorted_ids",
        lambda: M.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True),
        bs,
    )


# ---- AUC --------------------------------------------------------------------------------------


def auc_batches(r, sizes, wshapes, step=0.05, low=0.0, high=1.0, cols=None, p=0.45):
    bs = []
    for n, w in zip(sizes, wshapes):
        shape = (n,) if cols is None else (n, cols)
        t = binary(r, shape, p)
        # Scores that lean towards the label (AUCs well inside (0, 1)), on a grid.
        u = 0.2 * t + 0.8 * r.random(shape)
        s = np.round(np.round((low + (high - low) * u) / step) * step, 6)
        bs.append(batch(t, s, weights(r, w) if w else None))
    return bs


def auc_cases():
    r = rng_for("auc_roc_defaults")
    case(
        "auc_roc_defaults",
        lambda: M.AUC(),
        auc_batches(r, [8, 5, 11, 6], [(8,), None, (11,), (6,)]),
    )
    r = rng_for("auc_roc_minoring_exact_thresholds")
    bs = auc_batches(r, [7, 9, 4, 6], [(7, 1), (9,), None, (6, 1)], step=0.1, cols=1)
    bs[0]["y_pred"][:3, 0] = [0.0, 1.0, 0.5]
    case(
        "auc_roc_minoring_exact_thresholds",
        lambda: M.AUC(num_thresholds=11, summation_method="minoring", name="auc_min"),
        bs,
    )
    r = rng_for("auc_roc_majoring")
    case(
        "auc_roc_majoring",
        lambda: M.AUC(num_thresholds=5, summation_method="majoring"),
        auc_batches(r, [6, 10, 5], [(6,), (10,), None], step=0.125),
    )
    r = rng_for("auc_pr_interpolation")
    case(
        "auc_pr_interpolation",
        lambda: M.AUC(num_thresholds=50, curve="PR"),
        auc_batches(r, [9, 6, 12, 7], [(9,), None, (12,), (7,)], step=0.02),
    )
    r = rng_for("auc_pr_minoring")
    case(
        "auc_pr_minoring",
        lambda: M.AUC(num_thresholds=9, curve="PR", summation_method="minoring"),
        auc_batches(r, [7, 8, 6], [(7,), (8,), (6,)], step=0.125),
    )
    r = rng_for("auc_pr_majoring_2d")
    case(
        "auc_pr_majoring_2d",
        lambda: M.AUC(num_thresholds=7, curve="PR", summation_method="majoring", name="prm"),
        auc_batches(r, [4, 3, 5], [(4, 3), (3,), (5, 1)], step=0.1, cols=3),
    )
    r = rng_for("auc_prgain")
    case(
        "auc_prgain",
        lambda: M.AUC(num_thresholds=21, curve="PRGAIN"),
        auc_batches(r, [10, 8, 9], [(10,), None, (9,)], step=0.05, p=0.5),
    )
    r = rng_for("auc_explicit_uneven_thresholds")
    bs = auc_batches(r, [8, 6, 7], [(8,), (6,), None], step=0.05)
    bs[0]["y_pred"][:3] = [0.45, 0.2, 0.7]  # exactly on thresholds
    case(
        "auc_explicit_uneven_thresholds",
        lambda: M.AUC(thresholds=[0.7, 0.2, 0.45, 0.9]),
        bs,
    )
    # [0, 0.25, 0.5, 0.75, 1] is evenly spaced: Keras takes its bucketing path, which clips scores
    # into [0, 1] first (a 1.5 is not above 1 + epsilon, a -0.5 is above -epsilon).
    r = rng_for("auc_explicit_even_thresholds_out_of_range")
    case(
        "auc_explicit_even_thresholds_out_of_range",
        lambda: M.AUC(thresholds=[0.25, 0.5, 0.75], curve="PR", summation_method="majoring"),
        auc_batches(r, [7, 6, 5], [(7,), None, (5,)], step=0.25, low=-0.75, high=1.75),
    )
    r = rng_for("auc_default_out_of_range")
    case(
        "auc_default_out_of_range",
        lambda: M.AUC(num_thresholds=6),
        auc_batches(r, [6, 8, 5], [(6,), (8,), None], step=0.2, low=-1.0, high=2.0),
    )
    r = rng_for("auc_from_logits")
    case(
        "auc_from_logits",
        lambda: M.AUC(num_thresholds=20, from_logits=True, name="auc_logits"),
        auc_batches(r, [8, 6, 7], [(8,), (6,), (7,)], step=0.5, low=-4.0, high=4.0),
    )

    # multi-label: label 2 is never positive (its ROC AUC is 0, its PR AUC 0).
    def ml_batches(id, sizes, wshapes):
        r = rng_for(id)
        bs = []
        for n, w in zip(sizes, wshapes):
            t = binary(r, (n, 3))
            t[:, 2] = 0
            s = scores(r, (n, 3), step=0.1)
            bs.append(batch(t, s, weights(r, w) if w else None))
        return bs

    case(
        "auc_multilabel_label_weights",
        lambda: M.AUC(num_thresholds=15, multi_label=True, num_labels=3, label_weights=[0.2, 0.5, 0.3]),
        ml_batches("auc_multilabel_label_weights", [6, 5, 7], [(6,), (5, 3), None]),
    )
    case(
        "auc_multilabel_pr_lazy",
        lambda: M.AUC(num_thresholds=12, curve="PR", multi_label=True),
        ml_batches("auc_multilabel_pr_lazy", [7, 4, 6], [(7,), (4, 1), (6, 3)]),
    )
    case(
        "auc_multilabel_explicit_thresholds",
        lambda: M.AUC(thresholds=[0.15, 0.5, 0.65], multi_label=True, summation_method="minoring"),
        ml_batches("auc_multilabel_explicit_thresholds", [5, 6, 4], [(5,), None, (4,)]),
    )
    r = rng_for("auc_flat_label_weights")
    case(
        "auc_flat_label_weights",
        lambda: M.AUC(num_thresholds=10, label_weights=[1.0, 2.0, 0.5], curve="PR"),
        auc_batches(r, [5, 6, 4], [(5,), (6, 3), None], step=0.1, cols=3),
    )


# ---- confusion counts, precision, recall ------------------------------------------------------


def confusion_cases():
    def bb(id, sizes, wshapes, cols=None, step=0.1, low=0.0, high=1.0, p=0.5):
        return auc_batches(rng_for(id), sizes, wshapes, step=step, low=low, high=high, cols=cols, p=p)

    case(
        "true_positives_two_thresholds",
        lambda: M.TruePositives(thresholds=[0.3, 0.6]),
        bb("true_positives_two_thresholds", [6, 4, 8, 5], [(6,), None, (8,), (5,)]),
    )
    bs = bb("true_positives_default", [5, 7, 4], [None, (7,), (4,)], step=0.25)
    bs[0]["y_pred"][:2] = [0.5, 0.5]
    case("true_positives_default", lambda: M.TruePositives(), bs)
    # [0, 0.5, 1]: evenly spaced, so Keras clips scores into [0, 1] before counting.
    case(
        "false_positives_even_thresholds_clipped",
        lambda: M.FalsePositives(thresholds=[0.0, 0.5, 1.0], name="fp_even"),
        bb(
            "false_positives_even_thresholds_clipped",
            [4, 5, 3],
            [(4, 3), (5,), (3, 1)],
            cols=3,
            step=0.5,
            low=-1.0,
            high=2.0,
        ),
    )
    case(
        "false_positives_single_list",
        lambda: M.FalsePositives(thresholds=[0.45]),
        bb("false_positives_single_list", [6, 3, 5], [(6,), (3,), None], step=0.05),
    )
    bs = bb("true_negatives_rank1_exact", [7, 5, 6], [(7,), (5,), (6,)], step=0.25)
    bs[1]["y_pred"][:3] = [0.5, 0.0, 1.0]
    case("true_negatives_rank1_exact", lambda: M.TrueNegatives(thresholds=0.5), bs)
    case(
        "true_negatives_four_thresholds",
        lambda: M.TrueNegatives(thresholds=[0.1, 0.35, 0.6, 0.95]),
        bb("true_negatives_four_thresholds", [5, 8, 4], [(5, 2), (8,), None], cols=2, step=0.05),
    )
    case(
        "false_negatives_scalar_threshold_2d",
        lambda: M.FalseNegatives(thresholds=0.25),
        bb("false_negatives_scalar_threshold_2d", [3, 6, 4], [(3, 1), (6,), (4, 4)], cols=4, step=0.25),
    )
    case(
        "false_negatives_default",
        lambda: M.FalseNegatives(name="fn"),
        bb("false_negatives_default", [9, 4, 6], [(9,), None, (6,)]),
    )

    case(
        "precision_three_thresholds",
        lambda: M.Precision(thresholds=[0.2, 0.5, 0.8]),
        bb("precision_three_thresholds", [7, 5, 9, 6], [(7,), (5,), None, (6,)], step=0.1),
    )

    def topk_batches(id, sizes, wshapes, classes=5):
        r = rng_for(id)
        bs = []
        for n, w in zip(sizes, wshapes):
            t = binary(r, (n, classes), 0.4)
            s = scores(r, (n, classes), step=0.25)
            s[0] = [0.75, 0.5, 0.5, 0.5, 0.25][:classes]  # ties straddle the top-2 boundary
            t[0] = [0, 0, 1, 1, 0][:classes]
            bs.append(batch(t, s, weights(r, w) if w else None))
        return bs

    case(
        "precision_top_k_ties",
        lambda: M.Precision(top_k=2),
        topk_batches("precision_top_k_ties", [5, 4, 6], [(5,), None, (6,)]),
    )
    case(
        "precision_class_id",
        lambda: M.Precision(thresholds=0.4, class_id=1, name="prec_c1"),
        bb("precision_class_id", [6, 5, 7], [(6,), (5, 1), None], cols=3, step=0.1),
    )
    case(
        "precision_top_k_class_id_thresholds",
        lambda: M.Precision(thresholds=[0.1, 0.6], top_k=2, class_id=2),
        topk_batches("precision_top_k_class_id_thresholds", [5, 6, 4], [(5,), (6,), None]),
    )
    case(
        "precision_even_thresholds_clipped",
        lambda: M.Precision(thresholds=[0.0, 0.25, 0.5, 0.75, 1.0]),
        bb(
            "precision_even_thresholds_clipped",
            [6, 5, 7],
            [(6,), None, (7,)],
            step=0.25,
            low=-0.5,
            high=1.5,
        ),
    )
    case(
        "recall_thresholds_elementwise_weights",
        lambda: M.Recall(thresholds=[0.15, 0.55]),
        bb("recall_thresholds_elementwise_weights", [4, 5, 3], [(4, 3), (5, 3), (3,)], cols=3, step=0.05),
    )
    case(
        "recall_top_k",
        lambda: M.Recall(top_k=3, name="rec_top3"),
        topk_batches("recall_top_k", [5, 6, 4], [(5,), (6,), (4,)]),
    )

    def absent_class(id, sizes):
        r = rng_for(id)
        bs = []
        for i, n in enumerate(sizes):
            t = binary(r, (n, 3))
            if i == 0:
                t[:, 0] = 0  # class 0 absent in the first batch: recall 0 (divide_no_nan)
            s = scores(r, (n, 3), step=0.1)
            bs.append(batch(t, s, weights(r, (n,))))
        return bs

    case(
        "recall_class_id_absent_first",
        lambda: M.Recall(class_id=0),
        absent_class("recall_class_id_absent_first", [5, 6, 4, 5]),
    )
    case(
        "recall_single_list_threshold",
        lambda: M.Recall(thresholds=[0.5]),
        bb("recall_single_list_threshold", [6, 4, 5], [(6,), None, (5,)], step=0.25),
    )


# ---- F-scores ---------------------------------------------------------------------------------


def fscore_cases():
    def fb(id, sizes, wshapes, classes=4, never=None, zero_rows=False, step=0.1):
        r = rng_for(id)
        bs = []
        for n, w in zip(sizes, wshapes):
            t = binary(r, (n, classes), 0.4)
            if never is not None:
                t[:, never] = 0
            s = scores(r, (n, classes), step=step)
            s[0, :2] = s[0].max()  # a tie at the row maximum
            if zero_rows:
                s[1] = 0.0  # an all-zero row: no positive prediction at all
            bs.append(batch(t, s, weights(r, w) if w else None))
        return bs

    case(
        "fbeta_none_beta2_threshold",
        lambda: M.FBetaScore(average=None, beta=2.0, threshold=0.4),
        fb("fbeta_none_beta2_threshold", [6, 5, 7], [(6,), None, (7,)]),
    )
    case(
        "fbeta_micro_argmax_zero_rows",
        lambda: M.FBetaScore(average="micro", beta=0.5, name="fb_micro"),
        fb("fbeta_micro_argmax_zero_rows", [5, 6, 4], [(5,), (6,), None], zero_rows=True, step=0.25),
    )
    case(
        "fbeta_macro_absent_class",
        lambda: M.FBetaScore(average="macro", beta=1.5, threshold=0.5),
        fb("fbeta_macro_absent_class", [7, 5, 6], [(7,), None, (6,)], never=3),
    )
    case(
        "fbeta_weighted",
        lambda: M.FBetaScore(average="weighted", beta=3.0, threshold=0.3),
        fb("fbeta_weighted", [6, 8, 5], [(6,), (8,), (5,)], never=1, step=0.05),
    )
    case(
        "f1_macro_argmax_zero_rows",
        lambda: M.F1Score(average="macro"),
        fb("f1_macro_argmax_zero_rows", [6, 5, 4], [(6,), (5,), None], classes=3, zero_rows=True, step=0.25),
    )
    case(
        "f1_none_threshold",
        lambda: M.F1Score(threshold=0.6, name="f1"),
        fb("f1_none_threshold", [5, 7, 6], [None, (7,), (6,)], never=0),
    )
    case(
        "f1_weighted_argmax",
        lambda: M.F1Score(average="weighted"),
        fb("f1_weighted_argmax", [8, 4, 6], [(8,), (4,), (6,)], classes=5, never=4, step=0.2),
    )


# ---- IoU --------------------------------------------------------------------------------------


def iou_cases():
    def sparse(id, sizes, wshapes, classes, rows=None, absent=(), out_of_range=False, int_w=True):
        r = rng_for(id)
        bs = []
        allowed = [c for c in range(classes) if c not in absent]
        for n, w in zip(sizes, wshapes):
            shape = (n,) if rows is None else (n, rows)
            t = r.choice(allowed, size=shape).astype(np.float64)
            p = np.where(r.random(shape) < 0.6, t, r.choice(allowed, size=shape)).astype(np.float64)
            if out_of_range:
                p.reshape(-1)[0] = classes  # ignored: not a class id
                t.reshape(-1)[1] = -1
            wv = None
            if w:
                wv = int_weights(r, w) if int_w else weights(r, w, step=0.5)
            bs.append(batch(t, p, wv))
        return bs

    case(
        "iou_targets_int_weights",
        lambda: M.IoU(num_classes=4, target_class_ids=[0, 2]),
        sparse("iou_targets_int_weights", [8, 6, 9, 7], [(8,), (6,), None, (7,)], 4),
    )
    case(
        "iou_ignore_class_float_dtype",
        lambda: M.IoU(num_classes=4, target_class_ids=[1, 3], ignore_class=0, dtype="float32", name="iou_f"),
        sparse("iou_ignore_class_float_dtype", [7, 8, 6], [(7,), (8,), (6,)], 4, int_w=False),
    )
    # Default dtype 'int': Keras casts the weights to int32, so 0.5 counts as 0 and 1.5 as 1.
    case(
        "iou_int_dtype_truncates_weights",
        lambda: M.IoU(num_classes=3, target_class_ids=[0, 1, 2]),
        sparse("iou_int_dtype_truncates_weights", [6, 7, 5], [(6,), (7,), (5,)], 3, int_w=False),
    )
    case(
        "iou_rank2_out_of_range",
        lambda: M.IoU(num_classes=3, target_class_ids=[2, 0], ignore_class=-1),
        sparse("iou_rank2_out_of_range", [2, 3, 2], [(2, 4), None, (2, 4)], 3, rows=4, out_of_range=True),
    )
    case(
        "mean_iou_absent_class",
        lambda: M.MeanIoU(num_classes=4, name="miou"),
        sparse("mean_iou_absent_class", [7, 6, 8], [(7,), None, (8,)], 4, absent=(3,)),
    )
    case(
        "mean_iou_ignore_rank2",
        lambda: M.MeanIoU(num_classes=3, ignore_class=1, dtype="float32"),
        sparse("mean_iou_ignore_rank2", [3, 2, 3], [(3, 3), (2, 3), (3, 3)], 3, rows=3, int_w=False),
    )
    case(
        "mean_iou_dense_y",
        lambda: M.MeanIoU(num_classes=3, sparse_y_true=False, sparse_y_pred=False),
        [
            batch(np.eye(3)[[0, 1, 2, 1]], scores(rng_for("mean_iou_dense_y"), (4, 3)), np.array([1, 2, 0, 1.0])),
            batch(np.eye(3)[[2, 2, 0]], np.array([[0.2, 0.2, 0.6], [0.5, 0.5, 0.0], [0.4, 0.3, 0.3]]), None),
            batch(np.eye(3)[[1, 0]], np.array([[0.1, 0.8, 0.1], [0.3, 0.3, 0.4]]), np.array([3, 1.0])),
        ],
    )

    def dense(id, sizes, wshapes, classes, sparse_pred=False, ties=True):
        r = rng_for(id)
        bs = []
        for n, w in zip(sizes, wshapes):
            t, ids = onehot(r, n, classes)
            if sparse_pred:
                p = np.where(r.random(n) < 0.6, ids, r.integers(0, classes, size=n)).astype(np.float64)
            else:
                p = scores(r, (n, classes), step=0.25)
                if ties:
                    p[0, :2] = 1.0  # argmax tie: the first index wins
            bs.append(batch(t, p, int_weights(r, w) if w else None))
        return bs

    case(
        "one_hot_iou_ties",
        lambda: M.OneHotIoU(num_classes=3, target_class_ids=[0, 1]),
        dense("one_hot_iou_ties", [6, 5, 7], [(6,), None, (7,)], 3),
    )
    case(
        "one_hot_iou_sparse_pred",
        lambda: M.OneHotIoU(num_classes=4, target_class_ids=[3, 1], sparse_y_pred=True, name="ohiou"),
        dense("one_hot_iou_sparse_pred", [7, 6, 5], [(7,), (6,), None], 4, sparse_pred=True),
    )
    case(
        "one_hot_mean_iou_ignore",
        lambda: M.OneHotMeanIoU(num_classes=3, ignore_class=2),
        dense("one_hot_mean_iou_ignore", [6, 7, 5], [(6,), (7,), (5,)], 3),
    )
    case(
        "one_hot_mean_iou_sparse_pred_float",
        lambda: M.OneHotMeanIoU(num_classes=4, sparse_y_pred=True, dtype="float32"),
        dense("one_hot_mean_iou_sparse_pred_float", [5, 8, 6], [None, (8,), (6,)], 4, sparse_pred=True),
    )


# ---- reduction and regression -----------------------------------------------------------------


def reduction_cases():
    r = rng_for("sum_shapes")
    case(
        "sum_shapes",
        lambda: M.Sum(name="total"),
        [
            vbatch(scores(r, (5,), low=-1), weights(r, (5,))),
            vbatch(scores(r, (3, 4), low=-1), weights(r, (3,))),
            vbatch(scores(r, (2, 3), low=-1), weights(r, (2, 3))),
            vbatch(scores(r, (4, 2), low=-1), None),
        ],
        kind="values",
    )
    r = rng_for("sum_scalar_and_col_weights")
    case(
        "sum_scalar_and_col_weights",
        lambda: M.Sum(),
        [
            vbatch(np.array(2.5), None),
            vbatch(scores(r, (4, 3)), weights(r, (4, 1))),
            vbatch(scores(r, (2, 2, 3)), weights(r, (2, 2))),
            vbatch(scores(r, (3,)), weights(r, (3, 1))),
        ],
        kind="values",
    )
    r = rng_for("mean_ragged_mean_of_means")
    # Per-sample means first: a [2, 5] batch counts as 2 samples, not 10.
    case(
        "mean_ragged_mean_of_means",
        lambda: M.Mean(name="avg"),
        [
            vbatch(scores(r, (3, 2), low=-1), weights(r, (3, 2))),
            vbatch(scores(r, (2, 5), low=-1), weights(r, (2, 5))),
            vbatch(scores(r, (4, 1), low=-1), weights(r, (4,))),
            vbatch(scores(r, (2, 3), low=-1), weights(r, (2, 1))),
        ],
        kind="values",
    )
    r = rng_for("mean_unweighted_then_weighted")
    case(
        "mean_unweighted_then_weighted",
        lambda: M.Mean(),
        [
            vbatch(scores(r, (4,)), None),
            vbatch(scores(r, (3, 6)), None),
            vbatch(scores(r, (5,)), weights(r, (5,))),
            vbatch(np.array(0.75), None),
        ],
        kind="values",
    )
    r = rng_for("mean_metric_wrapper_mae")
    case(
        "mean_metric_wrapper_mae",
        lambda: M.MeanMetricWrapper(fn=keras.metrics.mean_absolute_error, name="l1"),
        [
            batch(scores(r, (4, 3)), scores(r, (4, 3)), weights(r, (4,))),
            batch(scores(r, (2, 3)), scores(r, (2, 3)), None),
            batch(scores(r, (5, 3)), scores(r, (5, 3)), weights(r, (5,))),
        ],
    )
    r = rng_for("mean_metric_wrapper_binary_accuracy_kwargs")
    case(
        "mean_metric_wrapper_binary_accuracy_kwargs",
        lambda: M.MeanMetricWrapper(fn=keras.metrics.binary_accuracy, threshold=0.7),
        [
            batch(binary(r, (5, 2)), scores(r, (5, 2), step=0.1), weights(r, (5, 2))),
            batch(binary(r, (3, 2)), scores(r, (3, 2), step=0.1), weights(r, (3,))),
            batch(binary(r, (4, 2)), scores(r, (4, 2), step=0.1), None),
        ],
    )

    def reg(id, shapes, wshapes):
        r = rng_for(id)
        bs = []
        for (ts, ps), w in zip(shapes, wshapes):
            bs.append(batch(scores(r, ts, low=-2, high=2), scores(r, ps, low=-2, high=2), weights(r, w) if w else None))
        return bs

    case(
        "mse_rank2",
        lambda: M.MeanSquaredError(),
        reg("mse_rank2", [((5, 3), (5, 3)), ((3, 3), (3, 3)), ((6, 3), (6, 3)), ((2, 3), (2, 3))], [(5,), None, (6, 1), (2,)]),
    )
    case(
        "mse_labels_rank1_preds_col",
        lambda: M.MeanSquaredError(name="mse"),
        reg("mse_labels_rank1_preds_col", [((6,), (6, 1)), ((4, 1), (4,)), ((5,), (5, 1))], [(6,), (4,), None]),
    )
    case(
        "mse_rank3_ragged",
        lambda: M.MeanSquaredError(),
        reg("mse_rank3_ragged", [((2, 3, 2), (2, 3, 2)), ((3, 1, 2), (3, 1, 2)), ((2, 4, 2), (2, 4, 2))], [(2, 3), (3, 1), (2, 4)]),
    )
    case(
        "mae_rank2",
        lambda: M.MeanAbsoluteError(name="mae"),
        reg("mae_rank2", [((4, 2), (4, 2)), ((7, 2), (7, 2)), ((3, 2), (3, 2))], [(4,), (7, 1), None]),
    )
    case(
        "mae_rank3_ragged",
        lambda: M.MeanAbsoluteError(),
        reg("mae_rank3_ragged", [((2, 2, 3), (2, 2, 3)), ((1, 5, 3), (1, 5, 3)), ((3, 1, 3), (3, 1, 3))], [(2, 2), None, (3,)]),
    )
    case(
        "rmse_elementwise_weights",
        lambda: M.RootMeanSquaredError(),
        reg("rmse_elementwise_weights", [((5, 3), (5, 3)), ((3, 3), (3, 3)), ((4, 3), (4, 3))], [(5, 3), (3,), (4, 3)]),
    )
    case(
        "rmse_rank3_ragged",
        lambda: M.RootMeanSquaredError(name="rmse"),
        reg("rmse_rank3_ragged", [((2, 3, 2), (2, 3, 2)), ((3, 2, 2), (3, 2, 2)), ((2, 1, 2), (2, 1, 2))], [(2, 3), None, (2,)]),
    )
    case(
        "rmse_labels_rank1_preds_col",
        lambda: M.RootMeanSquaredError(),
        reg("rmse_labels_rank1_preds_col", [((5,), (5, 1)), ((3, 1), (3,)), ((4,), (4, 1))], [(5,), None, (4,)]),
    )

    def r2(id, sizes, outputs, wshapes, constant_col=None):
        r = rng_for(id)
        bs = []
        for n, w in zip(sizes, wshapes):
            t = scores(r, (n, outputs), low=-2, high=2)
            if constant_col is not None:
                t[:, constant_col] = 1.0  # zero variance: 1 - x/0 = -inf, which Keras turns into 0
            p = np.round(t + scores(r, (n, outputs), step=0.05, low=-0.5, high=0.5), 6)
            bs.append(batch(t, p, weights(r, w) if w else None))
        return bs

    case("r2_uniform", lambda: M.R2Score(), r2("r2_uniform", [6, 5, 7, 6], 3, [(6,), None, (7,), (6,)]))
    case(
        "r2_variance_weighted",
        lambda: M.R2Score(class_aggregation="variance_weighted_average", name="r2vw"),
        r2("r2_variance_weighted", [5, 6, 4], 3, [(5, 3), (6,), (4, 1)]),
    )
    case(
        "r2_raw_regressors",
        lambda: M.R2Score(class_aggregation=None, num_regressors=2),
        r2("r2_raw_regressors", [5, 4, 6], 2, [(5,), None, (6,)]),
    )
    # num_samples counts every element of y_true (3 outputs x 2 rows = 6): k=5 is n-1 (fallback).
    case(
        "r2_regressors_fallback",
        lambda: M.R2Score(num_regressors=5),
        r2("r2_regressors_fallback", [2, 3, 2], 3, [None, (3,), None]),
    )
    case(
        "r2_constant_column",
        lambda: M.R2Score(class_aggregation=None),
        r2("r2_constant_column", [5, 4, 6], 2, [(5,), (4,), None], constant_col=1),
    )


# ---- value-at-value ---------------------------------------------------------------------------


def at_value_cases():
    def bb(id, sizes, wshapes, cols=None, step=0.1):
        bs = auc_batches(rng_for(id), sizes, wshapes, step=step, cols=cols, p=0.5)
        flat = bs[0]["y_pred"].reshape(-1)
        flat[:3] = [0.0, 1.0, 0.5]  # on the first, last and middle threshold
        return bs

    case(
        "sensitivity_at_specificity_11",
        lambda: M.SensitivityAtSpecificity(0.7, num_thresholds=11),
        bb("sensitivity_at_specificity_11", [8, 6, 9, 7], [(8,), None, (9,), (7,)]),
    )
    case(
        "sensitivity_at_specificity_class_one_threshold",
        lambda: M.SensitivityAtSpecificity(0.4, num_thresholds=1, class_id=1, name="sas1"),
        bb("sensitivity_at_specificity_class_one_threshold", [6, 5, 7], [(6,), (5, 1), None], cols=3, step=0.25),
    )
    case(
        "specificity_at_sensitivity_5",
        lambda: M.SpecificityAtSensitivity(0.5, num_thresholds=5),
        bb("specificity_at_sensitivity_5", [7, 8, 6], [(7,), (8,), None], step=0.125),
    )
    case(
        "specificity_at_sensitivity_class_default",
        lambda: M.SpecificityAtSensitivity(0.8, class_id=2),
        bb("specificity_at_sensitivity_class_default", [5, 6, 4], [(5,), None, (4,)], cols=3, step=0.05),
    )
    case(
        "precision_at_recall_21",
        lambda: M.PrecisionAtRecall(0.6, num_thresholds=21),
        bb("precision_at_recall_21", [9, 7, 8], [(9,), (7,), None], step=0.05),
    )
    case(
        "precision_at_recall_class0",
        lambda: M.PrecisionAtRecall(0.9, num_thresholds=8, class_id=0, name="par"),
        bb("precision_at_recall_class0", [5, 6, 5], [(5, 1), (6,), (5,)], cols=2, step=0.1),
    )
    case(
        "recall_at_precision_9",
        lambda: M.RecallAtPrecision(0.8, num_thresholds=9),
        bb("recall_at_precision_9", [8, 7, 6], [(8,), None, (6,)], step=0.125),
    )
    case(
        "recall_at_precision_unreachable",
        lambda: M.RecallAtPrecision(1.0, num_thresholds=2),
        bb("recall_at_precision_unreachable", [6, 5, 4], [(6,), (5,), None], step=0.5),
    )


def run_case(c):
    keras.backend.clear_session()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        metric = c["make"]()
        steps = []
        batches = c["batches"]
        for i, b in enumerate(batches):
            if i == len(batches) - 1:
                metric.reset_state()
                steps.append({"reset": True, "result": result_json(metric.result())})
            f32 = {k: np.asarray(v, dtype=np.float32) for k, v in b.items()}
            if c["kind"] == "values":
                metric.update_state(f32["values"], sample_weight=f32.get("sample_weight"))
            else:
                metric.update_state(f32["y_true"], f32["y_pred"], sample_weight=f32.get("sample_weight"))
            steps.append({"update": {k: input_json(v) for k, v in b.items()}, "result": result_json(metric.result())})
    return {
        "id": c["id"],
        "kind": c["kind"],
        "dict": plain(keras.saving.serialize_keras_object(metric)),
        "steps": steps,
    }


def main():
    accuracy_cases()
    auc_cases()
    confusion_cases()
    fscore_cases()
    iou_cases()
    reduction_cases()
    at_value_cases()
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    doc = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "numpy_version": np.__version__,
        "cases": [run_case(c) for c in CASES],
    }
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "metrics.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {len(CASES)} cases to {os.path.relpath(path)} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
