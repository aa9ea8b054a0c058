"""The peer for bench/oracles.ts's TPE row: Optuna's TPESampler on the same problems, budget and
seeds (30 trials, seeds 1..20, median best). Not part of CI (needs Python + optuna):
    python bench/optuna_reference.py
"""

import math
import statistics

import warnings

import optuna

warnings.simplefilter("ignore", FutureWarning)  # consider_endpoints / magic clip are deprecated

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(x1, x2):
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [
    [1312, 1696, 5569, 124, 8283, 5886],
    [2329, 4135, 8307, 3736, 1004, 9991],
    [2348, 1451, 3522, 2883, 3047, 6650],
    [4047, 8828, 8732, 5743, 1091, 381],
]
ALPHA = [1, 1.2, 3, 3.2]


def hartmann6(x):
    return -sum(
        ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))) for i in range(4)
    )


problems = {
    "branin": lambda t: branin(t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)),
    "hartmann6": lambda t: hartmann6([t.suggest_float(f"x{i}", 0, 1) for i in range(6)]),
}
variants = [
    ("default", {}),
    ("multivariate", {"multivariate": True}),
    ("n_startup_trials=5", {"n_startup_trials": 5}),
    ("n_ei_candidates=100", {"n_ei_candidates": 100}),
    ("consider_endpoints", {"consider_endpoints": True}),
    ("no magic clip", {"consider_magic_clip": False}),
]
for name, objective in problems.items():
    for label, kwargs in variants if name == "branin" else variants[:1]:
        best = []
        for seed in range(1, 21):
            study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed, **kwargs))
            study.optimize(objective, n_trials=30)
            best.append(study.best_value)
        print(f"{name:10} optuna {optuna.__version__} TPE {label:20} median best {statistics.median(best):.6f}")
