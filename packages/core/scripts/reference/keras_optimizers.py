"""Writes test-fixtures/reference/keras-optimizers/{optimizers,schedules}.json: trajectories of
every optimizer Cornu exports and values of every learning-rate schedule, computed by real Keras.

optimizers.json: two variables (`dense/kernel` of shape [3, 4] and `dense/bias` of shape [4]),
fixed initial values and fixed per-step gradients (no autograd is involved), and for each case
the optimizer as `keras.optimizers.serialize(optimizer)` (class name plus `get_config()`), the
variable values after every `optimizer.apply(grads, variables)` call, the optimizer's variables
after the last step (`optimizer.variables` order, with path, dtype, shape and values),
`optimizer.iterations`, the weights after one more step with the first step's gradients
(`resumed`), and, with `use_ema`, the weights after `finalize_variable_values` (after that step).
Cases set non-default arguments: learning rates as floats and as schedules, weight_decay (with
and without `exclude_from_weight_decay`), clipnorm, clipvalue, global_clipnorm,
use_ema / ema_momentum / ema_overwrite_frequency, gradient_accumulation_steps, loss_scale_factor
(the recorded gradients are then multiplied by it, as a scaled loss would make them), missing
(None) gradients, and each optimizer's own options.

schedules.json: for each schedule case `keras.optimizers.schedules.serialize(schedule)` and
`float(schedule(step))` for steps 0..40.

Run with real Keras (offline; no TensorFlow needed):

    KERAS_BACKEND=jax python packages/core/scripts/reference/keras_optimizers.py

Generated with Keras 3.15.1, jax 0.10.2 (CPU), numpy 2.4.6. Seed: numpy default_rng(20260620)
for the initial values and gradients (rounded to 3 decimals).
"""
import json
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402
import keras  # noqa: E402
from keras import optimizers as O  # noqa: E402
from keras.optimizers import schedules as S  # noqa: E402

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "..",
    "test-fixtures",
    "reference",
    "keras-optimizers",
)
SEED = 20260620
STEPS = 6
SCHEDULE_STEPS = 41

rng = np.random.default_rng(SEED)
KERNEL0 = np.round(rng.normal(size=(3, 4)), 3).astype(np.float32)
BIAS0 = np.round(rng.normal(size=(4,)) * 0.5, 3).astype(np.float32)
GRADS = [
    (
        np.round(rng.normal(size=(3, 4)), 3).astype(np.float32),
        np.round(rng.normal(size=(4,)), 3).astype(np.float32),
    )
    for _ in range(STEPS)
]


def f32(values):
    """float32 values as JSON numbers that parse back to the same float32."""
    return [float("%.9g" % v) for v in np.asarray(values, dtype=np.float64).reshape(-1)]


def tensor_json(a, path=None):
    a = np.asarray(a)
    out = {} if path is None else {"path": path}
    out["dtype"] = str(a.dtype)
    out["shape"] = list(a.shape)
    out["data"] = f32(a) if a.dtype.kind == "f" else [int(v) for v in a.reshape(-1)]
    return out


def make_variables(constraints):
    with keras.name_scope("dense"):
        kernel = keras.Variable(KERNEL0, name="kernel")
        bias = keras.Variable(BIAS0, name="bias")
    for variable, constraint in zip([kernel, bias], constraints or [None, None]):
        variable.constraint = constraint
    return [kernel, bias]


def run_case(case_id, optimizer, grad_scale=None, none_grads=(), exclude_var_names=None, constraints=None):
    variables = make_variables(constraints)
    if exclude_var_names:
        optimizer.exclude_from_weight_decay(var_names=exclude_var_names)
    trajectory = []
    for step, (gk, gb) in enumerate(GRADS):
        grads = [gk, gb]
        if grad_scale is not None:
            grads = [g * np.float32(grad_scale) for g in grads]
        grads = [None if [step, i] in [list(n) for n in none_grads] else g for i, g in enumerate(grads)]
        optimizer.apply(grads, variables)
        trajectory.append([f32(v.numpy()) for v in variables])
    case = {
        "id": case_id,
        "serialized": O.serialize(optimizer),
        "options": {
            "grad_scale": grad_scale,
            "none_grads": [list(n) for n in none_grads],
            "exclude_var_names": exclude_var_names,
            "constraints": [None if c is None else keras.constraints.serialize(c) for c in constraints]
            if constraints
            else None,
        },
        "trajectory": trajectory,
        "iterations": int(optimizer.iterations),
        "learning_rate": float(optimizer.learning_rate),
        "scaled_loss": float(optimizer.scale_loss(np.float32(2.5))),
        "optimizer_variables": [tensor_json(v.numpy(), v.path) for v in optimizer.variables],
    }
    # One more step (with the first step's gradients), so a replay can check that state
    # loaded from `optimizer_variables` (set_weights) continues exactly as Keras does.
    resume_grads = list(GRADS[0]) if grad_scale is None else [g * np.float32(grad_scale) for g in GRADS[0]]
    optimizer.apply(resume_grads, variables)
    case["resumed"] = [f32(v.numpy()) for v in variables]
    if optimizer.use_ema:
        optimizer.finalize_variable_values(variables)
        case["finalized"] = [f32(v.numpy()) for v in variables]
    return case


def optimizer_cases():
    exp = lambda: S.ExponentialDecay(0.08, decay_steps=3, decay_rate=0.5)  # noqa: E731
    piece = lambda: S.PiecewiseConstantDecay([1, 3], [0.05, 0.02, 0.01])  # noqa: E731
    cos = lambda: S.CosineDecay(0.0, 8, alpha=0.1, warmup_target=0.05, warmup_steps=2)  # noqa: E731
    poly = lambda: S.PolynomialDecay(0.05, 4, end_learning_rate=0.005, power=2.0, cycle=True)  # noqa: E731
    inv = lambda: S.InverseTimeDecay(0.03, 2, 0.5, staircase=True)  # noqa: E731
    restarts = lambda: S.CosineDecayRestarts(0.04, 2, t_mul=2.0, m_mul=0.5, alpha=0.1)  # noqa: E731
    return [
        ("sgd_clipvalue", lambda: O.SGD(learning_rate=0.05, clipvalue=0.5), {}),
        ("sgd_momentum_decay_schedule", lambda: O.SGD(learning_rate=exp(), momentum=0.9, weight_decay=0.02), {}),
        (
            "sgd_nesterov_global_clipnorm_ema",
            lambda: O.SGD(
                learning_rate=0.1,
                momentum=0.8,
                nesterov=True,
                global_clipnorm=2.0,
                use_ema=True,
                ema_momentum=0.9,
                ema_overwrite_frequency=4,
            ),
            {"constraints": [keras.constraints.MaxNorm(1.2, axis=0), keras.constraints.NonNeg()]},
        ),
        (
            "sgd_weight_decay_exclude_regex",
            lambda: O.SGD(learning_rate=0.05, weight_decay=0.5),
            {"exclude_var_names": ["^k.rn"]},
        ),
        (
            "sgd_momentum_accumulation_loss_scale",
            lambda: O.SGD(learning_rate=0.1, momentum=0.5, gradient_accumulation_steps=2, loss_scale_factor=128.0),
            {"grad_scale": 128.0},
        ),
        ("rmsprop_rho_clipnorm", lambda: O.RMSprop(learning_rate=0.01, rho=0.8, epsilon=1e-6, clipnorm=1.0), {}),
        (
            "rmsprop_centered_momentum_piecewise",
            lambda: O.RMSprop(learning_rate=piece(), momentum=0.9, centered=True),
            {},
        ),
        (
            "rmsprop_momentum_ema_accumulation",
            lambda: O.RMSprop(
                learning_rate=0.02, momentum=0.5, use_ema=True, ema_momentum=0.8, gradient_accumulation_steps=2
            ),
            {},
        ),
        ("rmsprop_missing_gradients", lambda: O.RMSprop(learning_rate=0.01), {"none_grads": [[1, 1], [3, 0]]}),
        ("adam_betas_epsilon", lambda: O.Adam(learning_rate=0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-4), {}),
        (
            "adam_amsgrad_weight_decay_cosine_warmup",
            lambda: O.Adam(learning_rate=cos(), amsgrad=True, weight_decay=0.05),
            {},
        ),
        (
            "adam_global_clipnorm_ema_overwrite",
            lambda: O.Adam(
                learning_rate=0.03, global_clipnorm=1.5, use_ema=True, ema_momentum=0.7, ema_overwrite_frequency=3
            ),
            {},
        ),
        (
            "adam_accumulation3_loss_scale",
            lambda: O.Adam(learning_rate=0.05, gradient_accumulation_steps=3, loss_scale_factor=0.25),
            {"grad_scale": 0.25},
        ),
        ("adamw_amsgrad", lambda: O.AdamW(learning_rate=0.02, weight_decay=0.1, amsgrad=True, beta_2=0.95), {}),
        (
            "adamw_schedule_exclude_bias",
            lambda: O.AdamW(learning_rate=poly(), weight_decay=0.3, clipvalue=0.8),
            {"exclude_var_names": ["bias"]},
        ),
        ("adamax_betas", lambda: O.Adamax(learning_rate=0.02, beta_1=0.7, beta_2=0.9, epsilon=1e-5), {}),
        (
            "adamax_schedule_clipvalue_ema",
            lambda: O.Adamax(learning_rate=inv(), clipvalue=0.7, use_ema=True, ema_momentum=0.5),
            {},
        ),
        ("nadam_betas", lambda: O.Nadam(learning_rate=0.02, beta_1=0.85, beta_2=0.98, epsilon=1e-6), {}),
        (
            "nadam_accumulation_schedule",
            lambda: O.Nadam(learning_rate=exp(), gradient_accumulation_steps=2),
            {},
        ),
        ("nadam_weight_decay_clipnorm", lambda: O.Nadam(learning_rate=0.01, weight_decay=0.04, clipnorm=0.9), {}),
        (
            "adagrad_initial_epsilon_constraints",
            lambda: O.Adagrad(learning_rate=0.1, initial_accumulator_value=0.5, epsilon=1e-5),
            {"constraints": [keras.constraints.NonNeg(), keras.constraints.MinMaxNorm(0.2, 0.9, rate=0.5, axis=0)]},
        ),
        (
            "adagrad_restarts_accumulation",
            lambda: O.Adagrad(learning_rate=restarts(), gradient_accumulation_steps=2),
            {},
        ),
        ("adadelta_rho_epsilon", lambda: O.Adadelta(learning_rate=1.0, rho=0.9, epsilon=1e-4), {}),
        (
            "adadelta_weight_decay_ema",
            lambda: O.Adadelta(learning_rate=0.5, weight_decay=0.01, use_ema=True, ema_overwrite_frequency=2),
            {},
        ),
        (
            "ftrl_l1_l2_power",
            lambda: O.Ftrl(
                learning_rate=0.1,
                learning_rate_power=-0.7,
                initial_accumulator_value=0.2,
                l1_regularization_strength=0.05,
                l2_regularization_strength=0.02,
            ),
            {},
        ),
        (
            "ftrl_shrinkage_beta",
            lambda: O.Ftrl(learning_rate=0.05, l2_shrinkage_regularization_strength=0.03, beta=0.5),
            {},
        ),
        (
            "ftrl_schedule_clipnorm",
            lambda: O.Ftrl(learning_rate=piece(), clipnorm=1.2, l1_regularization_strength=0.01),
            {},
        ),
        ("lion_betas", lambda: O.Lion(learning_rate=0.01, beta_1=0.8, beta_2=0.95), {}),
        (
            "lion_weight_decay_schedule_accumulation",
            lambda: O.Lion(learning_rate=exp(), weight_decay=0.1, gradient_accumulation_steps=2),
            {},
        ),
        (
            "adafactor_relative_step",
            lambda: O.Adafactor(learning_rate=0.5, beta_2_decay=-0.6, clip_threshold=0.5),
            {},
        ),
        (
            "adafactor_schedule_epsilon",
            lambda: O.Adafactor(learning_rate=cos(), epsilon_1=1e-20, epsilon_2=1e-2),
            {},
        ),
        (
            "adafactor_absolute_step_weight_decay",
            lambda: O.Adafactor(learning_rate=0.05, relative_step=False, weight_decay=0.1, global_clipnorm=3.0),
            {},
        ),
    ]


def schedule_cases():
    return [
        ("exponential", S.ExponentialDecay(0.1, decay_steps=7, decay_rate=0.6)),
        ("exponential_staircase", S.ExponentialDecay(0.2, decay_steps=5, decay_rate=0.3, staircase=True, name="stairs")),
        ("piecewise", S.PiecewiseConstantDecay([5, 12, 20], [0.1, 0.05, 0.02, 0.001])),
        ("piecewise_single", S.PiecewiseConstantDecay([9], [1.0, 0.5], name="two")),
        ("polynomial_power", S.PolynomialDecay(0.1, decay_steps=25, end_learning_rate=0.01, power=0.5)),
        ("polynomial_cycle", S.PolynomialDecay(0.1, decay_steps=8, end_learning_rate=0.002, power=2.0, cycle=True)),
        ("inverse_time", S.InverseTimeDecay(0.1, decay_steps=4, decay_rate=0.5)),
        ("inverse_time_staircase", S.InverseTimeDecay(0.3, decay_steps=6, decay_rate=2.0, staircase=True)),
        ("cosine_alpha", S.CosineDecay(0.1, decay_steps=30, alpha=0.2)),
        ("cosine_warmup", S.CosineDecay(0.01, decay_steps=25, alpha=0.05, warmup_target=0.2, warmup_steps=8)),
        ("cosine_restarts", S.CosineDecayRestarts(0.1, first_decay_steps=5, t_mul=2.0, m_mul=0.5, alpha=0.1)),
        ("cosine_restarts_tmul1", S.CosineDecayRestarts(0.2, first_decay_steps=6, t_mul=1.0, m_mul=0.8)),
        ("cosine_restarts_tmul1_5", S.CosineDecayRestarts(0.05, first_decay_steps=4, t_mul=1.5, name="sgdr")),
    ]


def main():
    os.makedirs(OUT, exist_ok=True)
    versions = {"keras": keras.__version__, "jax": jax.__version__, "numpy": np.__version__}
    cases = []
    for case_id, make, options in optimizer_cases():
        cases.append(run_case(case_id, make(), **options))
    optimizers = {
        "versions": versions,
        "seed": SEED,
        "variables": [
            {"path": "dense/kernel", "name": "kernel", **tensor_json(KERNEL0)},
            {"path": "dense/bias", "name": "bias", **tensor_json(BIAS0)},
        ],
        "grads": [[f32(gk), f32(gb)] for gk, gb in GRADS],
        "cases": cases,
    }
    schedules = {
        "versions": versions,
        "steps": SCHEDULE_STEPS,
        "cases": [
            {
                "id": case_id,
                "serialized": S.serialize(schedule),
                "values": f32([float(schedule(step)) for step in range(SCHEDULE_STEPS)]),
            }
            for case_id, schedule in schedule_cases()
        ],
    }
    for name, data in (("optimizers", optimizers), ("schedules", schedules)):
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")
    print(f"wrote {len(cases)} optimizer cases, {len(schedules['cases'])} schedule cases to {OUT}")


if __name__ == "__main__":
    main()
