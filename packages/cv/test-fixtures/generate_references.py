"""Reference values for @cornu/cv's image I/O tests, from Pillow (an independent decoder).

Run: /usr/bin/python3 packages/cv/test-fixtures/generate_references.py
Writes china_pillow_reference.json (sampled pixels + per-channel sums of china.jpg as Pillow
decodes it) and small lossless images in several formats, with EXIF orientation variants.
"""
import json
import os

import numpy as np
import PIL
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))

# 1. china.jpg decoded by Pillow: 300 sampled pixels and per-channel sums.
img = np.asarray(Image.open(os.path.join(HERE, "china.jpg")).convert("RGB"))
rng = np.random.RandomState(7)
ys = rng.randint(0, img.shape[0], 300)
xs = rng.randint(0, img.shape[1], 300)
ref = {
    "generator": f"Pillow {PIL.__version__}, numpy {np.__version__}",
    "shape": list(img.shape),
    "channel_sums": [int(img[..., c].astype(np.int64).sum()) for c in range(3)],
    "samples": [[int(y), int(x), [int(v) for v in img[y, x]]] for y, x in zip(ys, xs)],
}
with open(os.path.join(HERE, "china_pillow_reference.json"), "w") as f:
    json.dump(ref, f, separators=(",", ":"))

# 2. A 4x6 RGB pattern (pixel (y, x) = [40y + 10x, 255 - 40y, 7x]) in lossless formats.
h, w = 4, 6
pattern = np.zeros((h, w, 3), np.uint8)
for y in range(h):
    for x in range(w):
        pattern[y, x] = [40 * y + 10 * x, 255 - 40 * y, 7 * x]
pim = Image.fromarray(pattern)
pim.save(os.path.join(HERE, "pattern.png"))
pim.save(os.path.join(HERE, "pattern.tiff"))
pim.save(os.path.join(HERE, "pattern.webp"), lossless=True)
# GIF is palette based: a 2-colour pattern survives exactly; the second frame must be ignored.
gif0 = Image.fromarray(np.where(pattern[..., :1] > 100, 255, 0).repeat(3, axis=2).astype(np.uint8))
gif1 = Image.fromarray(np.full((h, w, 3), 128, np.uint8))
gif0.save(os.path.join(HERE, "pattern.gif"), save_all=True, append_images=[gif1])
# EXIF orientation 6 (rotate 90 degrees clockwise to display): stored as the pattern, shown as rot90(-1).
exif = Image.Exif()
exif[0x0112] = 6
pim.save(os.path.join(HERE, "pattern_orientation6.png"), exif=exif.tobytes())
