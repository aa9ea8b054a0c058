"""Reads the event files Cornu's TensorBoard callback wrote (cornu-written/{train,validation}) with
TensorBoard's own EventAccumulator and records what it saw in cornu-written/tensorboard-read.json.

Usage: python read_with_tensorboard.py   (needs the tensorboard package; not run in CI)
"""

import json
import os

from tensorboard import __version__ as tb_version
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

here = os.path.join(os.path.dirname(__file__), "cornu-written")
out = {"tensorboard_version": tb_version, "runs": {}}
for run in ("train", "validation"):
    acc = EventAccumulator(os.path.join(here, run), size_guidance={"scalars": 0, "histograms": 0, "tensors": 0})
    acc.Reload()
    tags = acc.Tags()
    record = {"scalars": {}, "histograms": {}, "tensors": {}}
    for tag in tags.get("scalars", []):
        record["scalars"][tag] = [[e.step, e.value] for e in acc.Scalars(tag)]
    for tag in tags.get("histograms", []):
        record["histograms"][tag] = [
            {"step": e.step, "num": e.histogram_value.num, "min": e.histogram_value.min, "max": e.histogram_value.max}
            for e in acc.Histograms(tag)
        ]
    for tag in tags.get("tensors", []):
        record["tensors"][tag] = [e.step for e in acc.Tensors(tag)]
    out["runs"][run] = record
with open(os.path.join(here, "tensorboard-read.json"), "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps(out)[:1500])
