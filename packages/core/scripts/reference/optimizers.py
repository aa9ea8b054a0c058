"""Reference trajectories for Cornu's optimizers and losses, computed with PyTorch.

Run: /usr/bin/python3 packages/core/scripts/reference/optimizers.py
Writes packages/core/test-fixtures/reference/optimizers/optimizers.json: for each case, the
initial weights, the gradient fed at each step (fixed, so no autograd is compared) and the
weights after each step, plus losses.json (inputs and torch's loss values).
"""

import json
import os

import torch
import torch.nn.functional as F

print(f"torch {torch.__version__}")
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "reference", "optimizers")
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(20261122)
GEN = f"packages/core/scripts/reference/optimizers.py (torch {torch.__version__})"


def tl(t):
    return t.detach().to(torch.float32).tolist()


w0 = torch.randn(3, 4, dtype=torch.float64)
grads = [torch.randn(3, 4, dtype=torch.float64) * 0.5 for _ in range(4)]

cases = {
    "adam": (lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-7), {"learningRate": 0.01}),
    "adam_amsgrad": (lambda p: torch.optim.Adam(p, lr=0.01, eps=1e-7, amsgrad=True), {"learningRate": 0.01, "amsgrad": True}),
    "adamw": (lambda p: torch.optim.AdamW(p, lr=0.01, eps=1e-7, weight_decay=0.004), {"learningRate": 0.01}),
    # eps=0: Keras adds epsilon inside the square root, torch outside.
    "rmsprop": (lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=0.0), {"learningRate": 0.01, "epsilon": 0}),
    "rmsprop_momentum_centered": (
        lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=0.0, momentum=0.5, centered=True),
        {"learningRate": 0.01, "momentum": 0.5, "centered": True, "epsilon": 0},
    ),
    "adagrad": (lambda p: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.1, eps=1e-7), {"learningRate": 0.1}),
    "sgd_nesterov": (
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
        {"learningRate": 0.1, "momentum": 0.9, "nesterov": True},
    ),
    "sgd_momentum": (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), {"learningRate": 0.1, "momentum": 0.9}),
}

out = {"generator": GEN, "w0": tl(w0), "grads": [tl(g) for g in grads], "cases": {}}
for name, (make, args) in cases.items():
    w = w0.clone().requires_grad_(True)
    opt = make([w])
    traj = []
    for g in grads:
        w.grad = g.clone()
        opt.step()
        traj.append(tl(w))
    out["cases"][name] = {"args": args, "weights": traj}
with open(os.path.join(OUT, "optimizers.json"), "w") as f:
    json.dump(out, f)

# Losses: torch references for the crossentropies, Huber, KL, Poisson, CTC.
logits = torch.randn(4, 5, dtype=torch.float64)
labels = torch.tensor([0, 3, 1, 4])
onehot = F.one_hot(labels, 5).double()
probs = torch.softmax(logits, -1)
bin_true = (torch.rand(4, 3, dtype=torch.float64) > 0.5).double()
bin_logits = torch.randn(4, 3, dtype=torch.float64)
reg_true = torch.randn(4, 3, dtype=torch.float64)
reg_pred = torch.randn(4, 3, dtype=torch.float64)
pos_true = torch.rand(4, 3, dtype=torch.float64) + 0.1
pos_pred = torch.rand(4, 3, dtype=torch.float64) + 0.1
sw = torch.tensor([1.0, 0.5, 2.0, 0.0], dtype=torch.float64)

# CTC: batch 2, time 6, classes 4; blank = 0 and labels padded with 0 (Keras's convention).
ctc_logits = torch.randn(2, 6, 4, dtype=torch.float64)
ctc_labels = torch.tensor([[1, 2, 2], [3, 1, 0]])
ctc_label_len = torch.tensor([3, 2])
ctc_logit_len = torch.tensor([6, 6])
log_probs = torch.log_softmax(ctc_logits, -1).transpose(0, 1)  # (T, N, C)
ctc = F.ctc_loss(log_probs, ctc_labels, ctc_logit_len, ctc_label_len, blank=0, reduction="none")

losses = {
    "generator": GEN,
    "logits": tl(logits),
    "labels": labels.tolist(),
    "probs": tl(probs),
    "categorical_ce_per_sample": tl(F.cross_entropy(logits, labels, reduction="none")),
    "categorical_ce_smoothing_0_1": tl(F.cross_entropy(logits, labels, reduction="none", label_smoothing=0.1)),
    "bin_true": tl(bin_true),
    "bin_logits": tl(bin_logits),
    "binary_ce_per_sample": tl(F.binary_cross_entropy_with_logits(bin_logits, bin_true, reduction="none").mean(-1)),
    "reg_true": tl(reg_true),
    "reg_pred": tl(reg_pred),
    "huber_per_sample": tl(F.huber_loss(reg_pred, reg_true, reduction="none", delta=1.0).mean(-1)),
    "mse_per_sample": tl(F.mse_loss(reg_pred, reg_true, reduction="none").mean(-1)),
    "pos_true": tl(pos_true),
    "pos_pred": tl(pos_pred),
    "kl_per_sample": tl(F.kl_div(pos_pred.log(), pos_true, reduction="none").sum(-1)),
    "poisson_per_sample": tl(F.poisson_nll_loss(pos_pred, pos_true, log_input=False, eps=1e-7, reduction="none").mean(-1)),
    "sample_weight": tl(sw),
    "ctc_logits": tl(ctc_logits),
    "ctc_labels": ctc_labels.tolist(),
    "ctc_label_length": ctc_label_len.tolist(),
    "ctc_logit_length": ctc_logit_len.tolist(),
    "ctc_per_sample": tl(ctc),
}
with open(os.path.join(OUT, "losses.json"), "w") as f:
    json.dump(losses, f)
print("wrote", OUT)
