"""Keras 3 reference results for the deterministic parts of @cornu/cv.

What: runs real Keras 3 (jax backend) and TensorFlow on small seeded inputs and writes what they
return, for Cornu's differential tests (src/boxes/keras-reference.test.ts,
src/layers/keras-reference.test.ts):

- boxes.json: keras.utils.bounding_boxes.convert_format for every pair of Keras's 9 formats,
  clip_to_image_size, compute_iou (pairwise, batched, mixed ranks, every absolute format and
  rel_xyxy), compute_ciou (elementwise), keras.layers.MaxNumBoundingBoxes on ragged box sets, and
  tf.image.non_max_suppression_with_scores (hard and soft, score thresholds, per class by running
  it once per class).
- layers.json: the image preprocessing / augmentation layers on a seeded batch of two 8x10x3
  images (values in [0, 255)) with boxes, each either deterministic by itself (Resizing,
  CenterCrop, AutoContrast, ...) or fed ONE explicit transformation: Keras gets it through
  `layer.transform_images(images, transformation)` / `transform_bounding_boxes`, Cornu gets the
  same parameters as the values its random stream returns ("draws", in Cornu's draw order, so the
  test also checks that each value lies in the range Cornu samples for Keras's config). For the
  geometric layers, "pixel_boxes" are the boxes moved by Keras's own image matrix with pixel j
  spanning [j, j + 1] (corners through the inverse matrix, enclosing box, clipped): what the
  transformed pixels show, independent of Cornu's code.
- configs.json: `keras.saving.serialize_keras_object(layer)` for every Keras layer Cornu has,
  with non-default arguments, for the config round trip.

Images are stored as base64 little-endian float32 ("b64f32", exact); boxes and scalars as JSON
numbers with 9 significant digits (exact for float32).

How to run (offline), from the repository root:
    KERAS_BACKEND=jax /tmp/kvenv/bin/python packages/cv/scripts/keras_reference.py
Written with Keras 3.15.1, jax 0.10.2, TensorFlow (tensorflow-cpu) 2.21.0, NumPy 2.4.6; the script
refuses other Keras versions so the fixtures say what wrote them.
"""

import base64
import json
import math
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras.utils import bounding_boxes as kbb  # noqa: E402

assert keras.__version__ == "3.15.1", keras.__version__
assert keras.backend.backend() == "jax", keras.backend.backend()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "test-fixtures", "keras-reference")
os.makedirs(OUT, exist_ok=True)
L = keras.layers
VERSIONS = {
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "tensorflow_version": tf.__version__,
    "numpy_version": np.__version__,
}


def num(v):
    return float(f"{float(v):.9g}")


def nums(a):
    return [num(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def tensor(a):
    a = np.asarray(a)
    if a.dtype == np.bool_:
        return {"dtype": "bool", "shape": list(a.shape), "data": [bool(v) for v in a.ravel()]}
    if np.issubdtype(a.dtype, np.integer):
        return {"dtype": "int32", "shape": list(a.shape), "data": [int(v) for v in a.ravel()]}
    return {"dtype": "float32", "shape": list(a.shape), "data": nums(a)}


def image(a):
    a = np.ascontiguousarray(np.asarray(a, dtype="<f4"))
    return {"shape": list(a.shape), "b64f32": base64.b64encode(a.tobytes()).decode("ascii")}


def npy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


def dump(name, doc):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump({**VERSIONS, **doc}, f, separators=(",", ":"))
        f.write("\n")
    print(f"{name}: {os.path.getsize(path)} bytes")


# ----------------------------------------------------------------------------------------------
# Bounding boxes
# ----------------------------------------------------------------------------------------------

FORMATS = ["xyxy", "yxyx", "xywh", "center_xywh", "center_yxhw",
           "rel_xyxy", "rel_yxyx", "rel_xywh", "rel_center_xywh"]
H, W = 8, 10


def random_xyxy(rng, shape, height=H, width=W, min_size=0.5):
    x1 = rng.uniform(-1.0, width - 1.0, shape)
    y1 = rng.uniform(-1.0, height - 1.0, shape)
    x2 = x1 + rng.uniform(min_size, width / 2, shape)
    y2 = y1 + rng.uniform(min_size, height / 2, shape)
    return np.stack([x1, y1, x2, y2], -1).astype("float32")


def boxes_fixture():
    rng = np.random.default_rng(20240601)
    base = random_xyxy(rng, (2, 3))
    convert = []
    for source in FORMATS:
        src = npy(kbb.convert_format(base.copy(), "xyxy", source, height=H, width=W))
        outputs = {}
        for target in FORMATS:
            outputs[target] = nums(npy(kbb.convert_format(src.copy(), source, target, height=H, width=W)))
        convert.append({"source": source, "boxes": tensor(src), "outputs": outputs})

    clip = []
    clip_boxes = np.array(
        [[[-2, -1, 4, 3], [3, 2, 12, 9], [11, 1, 14, 5], [2, 9, 5, 12], [4, 4, 4, 6], [1, 1, 3, 3]]],
        "float32",
    )
    clip_labels = np.array([[0, 1, 2, 3, 4, -1]], "float32")
    for fmt, boxes in [("xyxy", clip_boxes), ("rel_xyxy", clip_boxes / np.array([W, H, W, H], "float32"))]:
        out = kbb.clip_to_image_size(
            {"boxes": boxes.copy(), "labels": clip_labels.copy()}, height=H, width=W, bounding_box_format=fmt
        )
        clip.append({"format": fmt, "boxes": tensor(boxes), "labels": tensor(clip_labels),
                     "out_boxes": tensor(npy(out["boxes"])), "out_labels": tensor(npy(out["labels"]))})

    iou = []
    a = random_xyxy(rng, (4,))
    b = random_xyxy(rng, (5,))
    b[0] = a[1]  # an exact match
    b[1] = a[2] + np.array([20, 20, 20, 20], "float32")  # no overlap
    for fmt in ["xyxy", "yxyx", "xywh", "center_xywh", "rel_xyxy"]:
        fa = npy(kbb.convert_format(a.copy(), "xyxy", fmt, height=H, width=W))
        fb = npy(kbb.convert_format(b.copy(), "xyxy", fmt, height=H, width=W))
        out = kbb.compute_iou(fa, fb, fmt, image_shape=(H, W, 3) if fmt.startswith("rel") else None)
        iou.append({"id": f"pairwise_{fmt}", "format": fmt, "boxes1": tensor(fa), "boxes2": tensor(fb),
                    "iou": tensor(npy(out))})
    ba = random_xyxy(rng, (2, 3))
    bb = random_xyxy(rng, (2, 4))
    iou.append({"id": "batched", "format": "xyxy", "boxes1": tensor(ba), "boxes2": tensor(bb),
                "iou": tensor(npy(kbb.compute_iou(ba, bb, "xyxy")))})
    iou.append({"id": "batched_vs_unbatched", "format": "xyxy", "boxes1": tensor(ba), "boxes2": tensor(b),
                "iou": tensor(npy(kbb.compute_iou(ba, b, "xyxy")))})

    ciou = []
    c1 = random_xyxy(rng, (6,))
    c2 = random_xyxy(rng, (6,))
    c2[0] = c1[0]
    c2[1] = c1[1] + np.array([15, 0, 15, 0], "float32")
    for fmt in ["xyxy", "yxyx", "center_xywh"]:
        f1 = npy(kbb.convert_format(c1.copy(), "xyxy", fmt))
        f2 = npy(kbb.convert_format(c2.copy(), "xyxy", fmt))
        ciou.append({"format": fmt, "boxes1": tensor(f1), "boxes2": tensor(f2),
                     "ciou": tensor(npy(kbb.compute_ciou(f1, f2, fmt)))})

    nms = []
    nrng = np.random.default_rng(77)
    n = 60
    y = nrng.uniform(0, 80, n)
    x = nrng.uniform(0, 80, n)
    nb = np.stack([y, x, y + nrng.uniform(5, 40, n), x + nrng.uniform(5, 40, n)], -1).astype("float32")
    ns = nrng.uniform(0, 1, n).astype("float32")
    classes = nrng.integers(0, 3, n)
    for iou_t, score_t, max_out, sigma in [(0.5, float("-inf"), 20, 0.0), (0.3, 0.2, 30, 0.0),
                                           (0.7, 0.5, 8, 0.0), (1.0, 0.05, 25, 0.5),
                                           (0.6, 0.1, 40, 0.2)]:
        idx, sc = tf.image.non_max_suppression_with_scores(
            nb, ns, max_out, iou_threshold=iou_t, score_threshold=score_t, soft_nms_sigma=sigma)
        nms.append({"iou_threshold": iou_t, "score_threshold": None if math.isinf(score_t) else score_t,
                    "max_output_size": max_out, "soft_nms_sigma": sigma, "classes": False,
                    "selected_indices": [int(i) for i in idx.numpy()], "selected_scores": nums(sc.numpy())})
    # per class: TF's NMS once per class, merged best first and cut to max_output_size (scores only
    # decay within a class, so this is the greedy global order)
    for iou_t, score_t, max_out, sigma in [(0.4, 0.1, 30, 0.0), (1.0, 0.1, 20, 0.3)]:
        picked = []
        for c in range(3):
            members = np.nonzero(classes == c)[0]
            idx, sc = tf.image.non_max_suppression_with_scores(
                nb[members], ns[members], len(members), iou_threshold=iou_t, score_threshold=score_t,
                soft_nms_sigma=sigma)
            picked += [(float(s), int(members[i])) for i, s in zip(idx.numpy(), sc.numpy())]
        picked.sort(key=lambda p: -p[0])
        picked = picked[:max_out]
        nms.append({"iou_threshold": iou_t, "score_threshold": score_t, "max_output_size": max_out,
                    "soft_nms_sigma": sigma, "classes": True,
                    "selected_indices": [p[1] for p in picked], "selected_scores": nums([p[0] for p in picked])})
    # MaxNumBoundingBoxes: ragged sets padded with -1 to the largest (its jax backend cannot
    # densify Python lists of arrays itself), then padded to / cut at max_number. Cornu's toDense.
    ragged_boxes = [random_xyxy(rng, (k,)).round(2) for k in (3, 1, 0)]
    ragged_labels = [np.array(lbl, "float32") for lbl in ([2, 0, 1], [4], [])]
    padded_boxes = np.full((3, 3, 4), -1, "float32")
    padded_labels = np.full((3, 3), -1, "float32")
    for i, (b, lbl) in enumerate(zip(ragged_boxes, ragged_labels)):
        padded_boxes[i, : len(b)] = b
        padded_labels[i, : len(lbl)] = lbl
    dense = {}
    for max_number in (5, 2):
        layer = L.MaxNumBoundingBoxes(max_number, bounding_box_format="xyxy")
        out = layer({"images": np.zeros((3, H, W, 3), "float32"),
                     "bounding_boxes": {"boxes": padded_boxes.copy(), "labels": padded_labels.copy()}})
        dense[str(max_number)] = {"boxes": tensor(npy(out["bounding_boxes"]["boxes"])),
                                  "labels": tensor(npy(out["bounding_boxes"]["labels"]))}
    to_dense = {"boxes": [b.tolist() for b in ragged_boxes], "labels": [lbl.tolist() for lbl in ragged_labels],
                "max_number": dense}
    dump("boxes.json", {
        "max_num_bounding_boxes": to_dense,
        "convert_format": {"height": H, "width": W, "cases": convert},
        "clip_to_image_size": {"height": H, "width": W, "cases": clip},
        "compute_iou": {"height": H, "width": W, "cases": iou},
        "compute_ciou": ciou,
        "non_max_suppression": {"boxes_yxyx": tensor(nb), "scores": tensor(ns), "classes": tensor(classes),
                                "cases": nms},
    })


# ----------------------------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------------------------

IMG_RNG = np.random.default_rng(20240602)
IMAGES = IMG_RNG.uniform(0, 255, (2, H, W, 3)).astype("float32")
# a low-contrast pair for AutoContrast / Equalization (values in [60, 140), quantised to integers)
DULL = np.floor(IMG_RNG.uniform(60, 140, (2, H, W, 3))).astype("float32")
BOXES = np.array(
    [[[1.0, 1.5, 6.0, 5.0], [5.5, 0.5, 9.5, 7.0], [0.0, 0.0, 10.0, 8.0], [-1, -1, -1, -1]],
     [[2.0, 3.0, 4.5, 7.5], [7.0, 2.0, 9.0, 3.0], [0.5, 6.0, 3.5, 8.0], [-1, -1, -1, -1]]],
    "float32",
)
LABELS = np.array([[0, 1, 2, -1], [3, 1, 0, -1]], "float32")
UNIT = (IMAGES / 255.0).astype("float32")
INPUTS = {"images": IMAGES, "dull": DULL, "dull_first": DULL[:1], "unit": UNIT}


def keras_boxes(layer, transformation):
    bbs = {"boxes": jnp.asarray(BOXES), "labels": jnp.asarray(LABELS)}
    if layer.bounding_box_format != "xyxy":
        bbs = kbb.convert_format(bbs, "xyxy", layer.bounding_box_format, height=H, width=W)
    out = layer.transform_bounding_boxes(bbs, transformation, training=True)
    return {"boxes": tensor(npy(out["boxes"])), "labels": tensor(npy(out["labels"]))}


def pixel_boxes(matrices, out_h, out_w):
    """Boxes moved by output->input index-coordinate matrices, pixel j spanning [j, j + 1]."""
    shift = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]])
    unshift = np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1]])
    boxes = np.full(BOXES.shape, -1.0)
    labels = np.full(LABELS.shape, -1.0)
    for i, m in enumerate(matrices):
        forward = shift @ np.linalg.inv(m) @ unshift
        for j, (box, label) in enumerate(zip(BOXES[i].astype(np.float64), LABELS[i])):
            if label < 0:
                continue
            x1, y1, x2, y2 = box
            pts = np.array([[x1, y1, 1], [x2, y1, 1], [x1, y2, 1], [x2, y2, 1]]) @ forward.T
            xs, ys = pts[:, 0] / pts[:, 2], pts[:, 1] / pts[:, 2]
            nx1, nx2 = np.clip([xs.min(), xs.max()], 0, out_w)
            ny1, ny2 = np.clip([ys.min(), ys.max()], 0, out_h)
            if nx2 > nx1 and ny2 > ny1:
                boxes[i, j] = [nx1, ny1, nx2, ny2]
                labels[i, j] = label
    return {"boxes": tensor(boxes.astype("float32")), "labels": tensor(labels)}


def as_matrix(flat8):
    f = np.asarray(flat8, dtype=np.float64)
    return np.array([[f[0], f[1], f[2]], [f[3], f[4], f[5]], [f[6], f[7], 1.0]])


CASES = []


def case(id, layer, *, inputs="images", training=True, transformation=None, draws=None,
         boxes=False, matrices=None, note=None, call=False):
    """Runs `layer` the Keras way and records what it returns.

    transformation: fed to transform_images / transform_bounding_boxes (None: the layer needs none).
    draws: the values Cornu's random stream must return, in its draw order, for the same transform.
    call: use `layer(images, training=...)` (for inference behaviour) instead of transform_images.
    """
    x = INPUTS[inputs]
    if call:
        y = npy(layer(jnp.asarray(x), training=training))
    else:
        y = npy(layer.transform_images(jnp.asarray(x), transformation, training=training))
    entry = {
        "id": id,
        "dict": keras.saving.serialize_keras_object(layer),
        "inputs": inputs,
        "training": training,
        "draws": None if draws is None else [num(d) for d in draws],
        "images": image(y),
    }
    if boxes:
        entry["boxes"] = keras_boxes(layer, transformation)
        if matrices is not None:
            entry["pixel_boxes"] = pixel_boxes(matrices, y.shape[1], y.shape[2])
    if note:
        entry["note"] = note
    CASES.append(entry)


def resize_window_matrix(mode, th, tw):
    """Output->input index matrix of Keras's crop / pad to the aspect ratio, then resize.

    The window is what keras/src/backend/jax/image.py resize cuts or pads (the padded canvas keeps
    floor(diff / 2) on each side, so an odd difference loses a row); the resize uses half-pixel
    centres: input = (output + 0.5) * size / target - 0.5, offset by the window.
    """
    if mode == "crop":
        ch = max(min(H, int(float(W * th) / tw)), 1)
        cw = max(min(W, int(float(H * tw) / th)), 1)
        top, left = int(float(H - ch) / 2), int(float(W - cw) / 2)
    else:
        ph = max(H, int(float(W * th) / tw))
        pw = max(W, int(float(H * tw) / th))
        top, left = -int(float(ph - H) / 2), -int(float(pw - W) / 2)
        ch, cw = H - 2 * top, W - 2 * left
    sy, sx = ch / th, cw / tw
    return np.array([[sx, 0, left + 0.5 * sx - 0.5], [0, sy, top + 0.5 * sy - 0.5], [0, 0, 1.0]])


def geometric_cases():
    # RandomFlip: the transformation is one boolean per image; Cornu draws u < 0.5 per flip axis.
    for mode in ["horizontal", "vertical", "horizontal_and_vertical"]:
        layer = L.RandomFlip(mode, seed=1, bounding_box_format="xyxy")
        t = {"flips": jnp.asarray(np.array([True, False]).reshape(2, 1, 1, 1)), "input_shape": IMAGES.shape}
        per = 2 if mode == "horizontal_and_vertical" else 1
        draws = [0.25] * per + [0.75] * per
        flip_h = np.array([[-1, 0, W - 1], [0, 1, 0], [0, 0, 1.0]])
        flip_v = np.array([[1, 0, 0], [0, -1, H - 1], [0, 0, 1.0]])
        m = {"horizontal": flip_h, "vertical": flip_v, "horizontal_and_vertical": flip_h @ flip_v}[mode]
        case(f"random_flip_{mode}", layer, transformation=t, draws=draws, boxes=True,
             matrices=[m, np.eye(3)])

    # RandomRotation: angles in degrees; Cornu draws the fraction of a turn.
    for fill_mode, interpolation, fill_value in [("reflect", "bilinear", 0.0), ("constant", "bilinear", 37.0),
                                                 ("nearest", "nearest", 0.0), ("wrap", "bilinear", 0.0),
                                                 ("constant", "nearest", 0.0)]:
        layer = L.RandomRotation(0.15, fill_mode=fill_mode, interpolation=interpolation, fill_value=fill_value,
                                 seed=3, bounding_box_format="xyxy")
        t = layer.get_random_transformation(jnp.asarray(IMAGES), training=True)
        angles = npy(t["angle"])
        case(f"random_rotation_{fill_mode}_{interpolation}", layer, transformation=t,
             draws=[a / 360 for a in angles], boxes=True,
             matrices=[as_matrix(r) for r in npy(t["rotation_matrix"])])

    # RandomZoom: zooms in and out, with and without a separate width factor.
    for hf, wf, fill_mode in [((-0.3, 0.4), None, "reflect"), ((-0.4, 0.3), (0.2, 0.5), "constant"),
                              (0.3, (-0.4, -0.1), "nearest")]:
        layer = L.RandomZoom(hf, wf, fill_mode=fill_mode, seed=4, bounding_box_format="xyxy")
        t = layer.get_random_transformation(jnp.asarray(IMAGES), training=True)
        hz, wz = npy(t["height_zoom"])[:, 0], npy(t["width_zoom"])[:, 0]
        draws = []
        for i in range(2):
            draws.append(hz[i] - 1)
            if wf is not None:
                draws.append(wz[i] - 1)
        zooms = np.stack([wz, hz], 1).astype("float32")
        mats = npy(layer._get_zoom_matrix(jnp.asarray(zooms), H, W))
        case(f"random_zoom_{fill_mode}", layer, transformation=t, draws=draws, boxes=True,
             matrices=[as_matrix(m) for m in mats])

    # RandomTranslation: pixel offsets; Cornu draws the fractions (height first).
    for hf, wf, fill_mode, interpolation in [((-0.3, 0.3), (-0.25, 0.25), "reflect", "bilinear"),
                                             (0.2, (0.1, 0.4), "constant", "nearest"),
                                             ((-0.5, -0.2), 0.3, "wrap", "bilinear")]:
        layer = L.RandomTranslation(hf, wf, fill_mode=fill_mode, interpolation=interpolation, seed=5,
                                    bounding_box_format="xyxy")
        t = layer.get_random_transformation(jnp.asarray(IMAGES), training=True)
        tr = npy(t["translations"])
        draws = []
        for i in range(2):
            draws += [tr[i, 1] / H, tr[i, 0] / W]
        mats = npy(layer._get_translation_matrix(jnp.asarray(tr)))
        case(f"random_translation_{fill_mode}_{interpolation}", layer, transformation=t, draws=draws,
             boxes=True, matrices=[as_matrix(m) for m in mats])

    # RandomShear: Keras flips the sign of both factors together with probability 1/2; Cornu draws
    # that coin (u > 0.5 -> negative), then x, then y. Boxes: see the test (Keras's box shear mixes
    # relative coordinates).
    for xf, yf, fill_mode in [((0.1, 0.4), 0.0, "reflect"), (0.0, (0.2, 0.3), "constant"),
                              ((0.05, 0.2), (0.1, 0.25), "nearest")]:
        layer = L.RandomShear(xf, yf, fill_mode=fill_mode, seed=6, bounding_box_format="xyxy")
        t = layer.get_random_transformation(jnp.asarray(IMAGES), training=True)
        sf = npy(t["shear_factor"]).copy()
        # Keras's magnitudes, one image sheared each way whatever the seed's coin gave
        signs = np.array([1.0, -1.0])
        raw = np.abs(sf)
        sf = (raw * signs[:, None]).astype("float32")
        t = {"shear_factor": jnp.asarray(sf), "input_shape": IMAGES.shape}
        draws = []
        for i in range(2):
            draws += [0.25 if signs[i] > 0 else 0.75, raw[i, 0], raw[i, 1]]
        mats = npy(layer._get_shear_matrix(jnp.asarray(sf)))
        case(f"random_shear_{fill_mode}", layer, transformation=t, draws=draws, boxes=True,
             matrices=[as_matrix(m) for m in mats])

    # RandomCrop in training: Keras crops one window per batch; Cornu draws top, left per image.
    layer = L.RandomCrop(5, 6, seed=7, bounding_box_format="xyxy")
    top, left = 2, 3
    draws = [(top + 0.5) / (H - 5 + 1), (left + 0.5) / (W - 6 + 1)] * 2
    case("random_crop_training", layer, transformation=(top, left), draws=draws, boxes=True,
         matrices=[np.array([[1, 0, left], [0, 1, top], [0, 0, 1.0]])] * 2)
    # RandomCrop at inference: Keras 3.15 returns the input as it is (its documented behaviour is
    # Cornu's: the centred window of the target aspect ratio, resized).
    layer = L.RandomCrop(5, 6, seed=7)
    case("random_crop_inference", layer, training=False, call=True)

    # CenterCrop: a plain crop, and a target taller than the image (crop to the aspect ratio, resize).
    for h, w in [(5, 6), (4, 10), (12, 7)]:
        layer = L.CenterCrop(h, w, bounding_box_format="xyxy")
        t = layer.get_random_transformation(jnp.asarray(IMAGES))
        case(f"center_crop_{h}x{w}", layer, transformation=t, boxes=True, training=True)

    # Resizing: every interpolation Keras's jax backend has, plain / crop / pad, boxes too.
    for interpolation in ["bilinear", "nearest", "bicubic", "lanczos3", "lanczos5"]:  # jax has no "area"
        for size in [(5, 4), (11, 13)]:
            layer = L.Resizing(*size, interpolation=interpolation, bounding_box_format="xyxy")
            case(f"resizing_{interpolation}_{size[0]}x{size[1]}", layer, transformation=IMAGES.shape[1:3],
                 boxes=True)
    for interpolation in ["bilinear", "nearest"]:
        layer = L.Resizing(5, 4, interpolation=interpolation, antialias=True)
        case(f"resizing_{interpolation}_5x4_antialias", layer, transformation=IMAGES.shape[1:3])
    for mode in ["crop", "pad"]:
        for size in [(6, 4), (5, 13), (9, 9), (5, 6)]:
            layer = L.Resizing(*size, crop_to_aspect_ratio=mode == "crop", pad_to_aspect_ratio=mode == "pad",
                               fill_value=17.0 if mode == "pad" else 0.0, bounding_box_format="xyxy")
            case(f"resizing_{mode}_{size[0]}x{size[1]}", layer, transformation=IMAGES.shape[1:3], boxes=True,
                 matrices=[resize_window_matrix(mode, *size)] * 2)


def color_cases():
    case("rescaling", L.Rescaling(1 / 127.5, offset=-1), transformation=None, call=True, training=False)
    case("auto_contrast", L.AutoContrast(), inputs="dull", transformation=None)
    case("auto_contrast_unit_range", L.AutoContrast(value_range=(0, 1)), inputs="dull", transformation=None,
         note="dull images are in [60, 140), so in [0, 1] terms every pixel is above the range")
    case("equalization", L.Equalization(), inputs="dull", transformation=None)
    # the first dull image alone: Keras pools the histogram over the batch, so this differs
    case("equalization_one_image", L.Equalization(), inputs="dull_first", transformation=None)

    # Solarization: thresholds and additions are drawn in [0, 255] by Keras; Cornu draws fractions.
    for name, af, tf_, additions, thresholds in [
            ("default", 0.0, 0.0, [0, 0], [0, 0]),
            ("threshold", (0.0, 0.0), (0.3, 0.7), [0, 0], [100.0, 160.0]),
            ("addition", (0.1, 0.3), (0.4, 0.6), [40.0, 60.0], [120.0, 140.0])]:
        layer = L.Solarization(addition_factor=af, threshold_factor=tf_, seed=8)
        t = {"additions": jnp.asarray(np.array(additions, "float32").reshape(2, 1, 1, 1)),
             "thresholds": jnp.asarray(np.array(thresholds, "float32").reshape(2, 1, 1, 1))}
        draws = [a / 255 for a in additions] + [th / 255 for th in thresholds]
        case(f"solarization_{name}", layer, transformation=t, draws=draws)

    for name, factor, values in [("pair", (0.5, 0.5), [0.6, 1.4]), ("number", 0.3, [1.1, 1.25])]:
        layer = L.RandomContrast(factor, seed=9)
        t = {"contrast_factor": jnp.asarray(np.array(values, "float32").reshape(2, 1, 1, 1))}
        case(f"random_contrast_{name}", layer, transformation=t, draws=values)
    for factor, value_range, values in [(0.4, (0, 255), [-0.3, 0.35]), ((0.1, 0.2), (0, 1), [0.15, 0.2])]:
        layer = L.RandomBrightness(factor, value_range=value_range, seed=10)
        scale = value_range[1] - value_range[0]
        t = {"rgb_delta": jnp.asarray(np.array(values, "float32").reshape(2, 1, 1, 1) * scale)}
        case(f"random_brightness_{'255' if scale == 255 else 'unit'}", layer,
             inputs="images" if scale == 255 else "unit",
             transformation=t, draws=values)
    layer = L.RandomGrayscale(0.5, seed=11)
    t = jnp.asarray(np.array([True, False]).reshape(2, 1, 1, 1))
    case("random_grayscale", layer, transformation=t, draws=[0.2, 0.8])
    for value_range, inputs in [((0, 255), "images"), ((0, 1), "unit")]:
        layer = L.RandomInvert(factor=(0.0, 1.0), value_range=value_range, seed=12)
        t = {"apply_inversion": jnp.asarray(np.array([True, False]))}
        case(f"random_invert_{inputs}", layer, inputs=inputs, transformation=t, draws=[0.9, 0.1, 0.1, 0.9])
    for factor, bits in [((3, 3), [3, 3]), ((2, 6), [2, 5])]:
        layer = L.RandomPosterization(factor, seed=13)
        t = {"shift_factor": jnp.asarray(np.array([8 - b for b in bits], "uint8"))}
        lo, hi = factor
        case(f"random_posterization_{bits[0]}_{bits[1]}", layer, transformation=t,
             draws=[(b - lo + 0.5) / (hi - lo + 1) for b in bits])
    # RandomSharpness: Keras's factor f is half the sharpness (0 blurred, 0.5 unchanged, 1 sharpened).
    for name, factor, values in [("pair", (0.0, 1.0), [0.1, 0.9]), ("number", 0.4, [0.25, 0.0])]:
        layer = L.RandomSharpness(factor, seed=14)
        t = {"factor": jnp.asarray(np.array(values, "float32"))}
        case(f"random_sharpness_{name}", layer, transformation=t, draws=values)
    # RandomGaussianBlur: one (sigma_x, sigma_y) for the batch (+1e-6); Cornu draws per image
    # apply-probability, the apply coin, sigma_x, sigma_y.
    for name, kernel_size, sigma, bf in [("3", 3, (0.5, 1.5), [0.8, 1.3]), ("5", 5, 1.0, [0.6, 0.6]),
                                         ("3x5", (3, 5), (0.0, 2.0), [1.7, 0.4])]:
        layer = L.RandomGaussianBlur(factor=(0.0, 1.0), kernel_size=kernel_size, sigma=sigma, seed=15)
        t = {"should_apply_blur": jnp.asarray(np.array([True, False])),
             "blur_factor": jnp.asarray(np.array(bf, "float32") + 1e-6)}
        draws = [0.9, 0.1, bf[0], bf[1], 0.1, 0.9, bf[0], bf[1]]
        case(f"random_gaussian_blur_{name}", layer, transformation=t, draws=draws)
    # RandomHue: Keras's factor f gives shifts +-U(f)/2 of a turn (a sign coin, u > 0.5 -> negative).
    for name, factor, shifts in [("pair", (0.0, 1.0), [0.3, -0.45]), ("number", 0.4, [-0.05, 0.2])]:
        layer = L.RandomHue(factor, seed=16)
        t = {"factor": jnp.asarray(np.array(shifts, "float32"))}
        draws = []
        for s in shifts:
            draws += [0.75 if s < 0 else 0.25, abs(s) * 2]
        case(f"random_hue_{name}", layer, transformation=t, draws=draws)
    # RandomSaturation: s in [0, 1], 0.5 unchanged; scale s / (1 - s + eps). Values up to 0.5 (Keras
    # clips the scaled saturation to the value range, not to [0, 1], so oversaturated pixels leave
    # RGB; see the test).
    for name, factor, values in [("desaturate", (0.0, 0.5), [0.1, 0.45]), ("grey_and_same", (0.0, 1.0), [0.0, 0.5])]:
        layer = L.RandomSaturation(factor, seed=17)
        s = np.array(values, "float32")
        t = {"factor": jnp.asarray(s / (1 - s + keras.backend.epsilon()))}
        case(f"random_saturation_{name}", layer, transformation=t, draws=values)
    layer = L.RandomSaturation((0.5, 0.9), seed=17)
    s = np.array([0.7, 0.9], "float32")
    t = {"factor": jnp.asarray(s / (1 - s + keras.backend.epsilon()))}
    case("random_saturation_oversaturated", layer, transformation=t, draws=[0.7, 0.9],
         note="Keras clips the scaled saturation to value_range (255), so s > 1 pixels leave [0, 255]")


# ----------------------------------------------------------------------------------------------
# Configs
# ----------------------------------------------------------------------------------------------

def configs_fixture():
    layers = {
        "random_flip": L.RandomFlip("vertical", seed=3, bounding_box_format="yxyx"),
        "random_rotation": L.RandomRotation((-0.2, 0.1), fill_mode="constant", interpolation="nearest",
                                            fill_value=12.0, seed=4),
        "random_rotation_number": L.RandomRotation(0.3),
        "random_zoom": L.RandomZoom(0.2, (-0.3, 0.1), fill_mode="wrap", seed=5),
        "random_translation": L.RandomTranslation((-0.1, 0.2), 0.3, fill_mode="nearest", interpolation="nearest",
                                                  seed=6),
        "random_shear": L.RandomShear(0.2, (0.1, 0.3), fill_mode="constant", fill_value=3.0, seed=7),
        "random_crop": L.RandomCrop(5, 6, seed=8),
        "center_crop": L.CenterCrop(4, 5),
        "resizing": L.Resizing(5, 6, interpolation="bicubic", pad_to_aspect_ratio=True, fill_value=2.0,
                               antialias=True),
        "resizing_crop": L.Resizing(5, 6, interpolation="nearest", crop_to_aspect_ratio=True),
        "rescaling": L.Rescaling(0.5, offset=1.0),
        "auto_contrast": L.AutoContrast(value_range=(0, 1)),
        "equalization": L.Equalization(value_range=(0, 1), bins=128),
        "solarization": L.Solarization(addition_factor=0.1, threshold_factor=(0.2, 0.6), value_range=(0, 1),
                                       seed=9),
        "solarization_default": L.Solarization(),
        "random_contrast": L.RandomContrast((0.2, 0.4), value_range=(0, 1), seed=10),
        "random_contrast_number": L.RandomContrast(0.3),
        "random_brightness": L.RandomBrightness((-0.2, 0.1), value_range=(0, 1), seed=11),
        "random_grayscale": L.RandomGrayscale(0.3, seed=12),
        "random_hue": L.RandomHue((0.1, 0.4), value_range=(0, 1), seed=13),
        "random_saturation": L.RandomSaturation((0.2, 0.7), seed=14),
        "random_saturation_number": L.RandomSaturation(0.5),
        "random_invert": L.RandomInvert(0.4, value_range=(0, 1), seed=15),
        "random_posterization": L.RandomPosterization((2, 5), seed=16),
        "random_sharpness": L.RandomSharpness((0.2, 0.8), value_range=(0, 1), seed=17),
        "random_gaussian_blur": L.RandomGaussianBlur(0.7, kernel_size=5, sigma=(0.3, 1.5), seed=18),
        "random_gaussian_blur_default": L.RandomGaussianBlur(),
        "random_color_jitter": L.RandomColorJitter(value_range=(0, 1), brightness_factor=0.2,
                                                   contrast_factor=(0.1, 0.3), saturation_factor=(0.3, 0.6),
                                                   hue_factor=0.1, seed=19),
        "random_erasing": L.RandomErasing(0.5, scale=(0.1, 0.2), fill_value=3.0, seed=20),
        "random_perspective": L.RandomPerspective(0.6, scale=0.5, interpolation="nearest", fill_value=4.0,
                                                  seed=21),
        "random_elastic_transform": L.RandomElasticTransform(0.7, scale=(0.2, 0.5), interpolation="nearest",
                                                             fill_mode="constant", fill_value=5.0, seed=22),
        "mix_up": L.MixUp(alpha=0.4, seed=23),
        "cut_mix": L.CutMix(factor=0.5, seed=24),
        "rand_augment": L.RandAugment(num_ops=3, factor=0.4, seed=25),
        "aug_mix": L.AugMix(num_chains=2, chain_depth=(1, 2), factor=0.5, alpha=0.5, seed=26),
    }
    cases = [{"id": k, "dict": keras.saving.serialize_keras_object(v)} for k, v in layers.items()]
    dump("configs.json", {"cases": cases})


boxes_fixture()
geometric_cases()
color_cases()
dump("layers.json", {
    "height": H, "width": W,
    "inputs": {k: image(v) for k, v in INPUTS.items()},
    "boxes": tensor(BOXES), "labels": tensor(LABELS),
    "cases": CASES,
})
configs_fixture()
