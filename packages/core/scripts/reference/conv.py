"""Reference outputs for Cornu's convolution, pooling and up-sampling layers, computed with PyTorch.

Run with Debian's interpreter (it has python3-torch):  /usr/bin/python3 packages/core/scripts/reference/conv.py

Writes packages/core/test-fixtures/reference/conv/*.json. Every tensor is stored in PyTorch's own
layout, exactly as torch consumed or produced it:
  - inputs and outputs: channels-first, (N, C, L) / (N, C, H, W) / (N, C, D, H, W);
  - conv weights: (out, in/groups, *k); transposed-conv weights: (in, out, *k);
    depthwise weights: (in*multiplier, 1, *k) with output channel c*multiplier + m;
    separable: the depthwise weight as above plus a pointwise (filters, in*multiplier, 1[, 1]).
The TypeScript tests map these to Keras layouts explicitly (e.g. Conv2D kernel (kh, kw, in, out)).

Keras/TensorFlow's 'same' padding is asymmetric when the total is odd (the extra zero goes at the
end), which torch's symmetric `padding=` cannot express, so every padding here is applied
explicitly with F.pad following TensorFlow's rule:
  out = ceil(in / stride); total = max((out - 1) * stride + k_eff - in, 0); before = total // 2.
Average pooling with 'same' divides by the number of real (non-padding) elements, as TF does.
Transposed convolutions are computed as torch's full transposed convolution (no padding), then
cropped at `before` (TF's rule applied to the output length) to the Keras output length.
"""

import json
import math
import os

import torch
import torch.nn.functional as F

print(f"torch {torch.__version__}")
torch.manual_seed(20240611)
torch.set_default_dtype(torch.float64)

OUT_DIR = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "test-fixtures", "reference", "conv"
)
os.makedirs(OUT_DIR, exist_ok=True)


def tensor_json(t):
    t = t.detach().to(torch.float64).contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.reshape(-1).tolist()]}


def uniform(shape, scale=1.0):
    return (torch.rand(*shape) * 2 - 1) * scale


def tf_same_pads(size, k, stride, dilation=1):
    k_eff = (k - 1) * dilation + 1
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + k_eff - size, 0)
    return total // 2, total - total // 2


def pad_spatial(x, kernel, strides, dilations, padding, value=0.0):
    """Applies TF 'same' / 'valid' / 'causal' padding to the spatial dims of a channels-first x."""
    rank = len(kernel)
    pads = []
    for i in range(rank):
        size = x.shape[2 + i]
        if padding == "same":
            pads.append(tf_same_pads(size, kernel[i], strides[i], dilations[i]))
        elif padding == "causal":
            pads.append(((kernel[i] - 1) * dilations[i], 0))
        else:
            pads.append((0, 0))
    flat = []
    for before, after in reversed(pads):  # F.pad lists the last dim first
        flat += [before, after]
    return F.pad(x, flat, value=value)


CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def conv_case(name, spatial, in_ch, filters, kernel, strides=None, padding="valid",
              dilation=None, groups=1, batch=2, use_bias=True):
    rank = len(kernel)
    strides = strides or [1] * rank
    dilation = dilation or [1] * rank
    x = uniform([batch, in_ch] + spatial)
    w = uniform([filters, in_ch // groups] + kernel, 0.5)
    b = uniform([filters], 0.5) if use_bias else None
    xp = pad_spatial(x, kernel, strides, dilation, padding)
    y = CONV[rank](xp, w, b, stride=strides, dilation=dilation, groups=groups)
    case = {
        "name": name,
        "args": {"filters": filters, "kernel_size": kernel, "strides": strides, "padding": padding,
                 "dilation_rate": dilation, "groups": groups, "use_bias": use_bias},
        "input": tensor_json(x),
        "weight": tensor_json(w),
        "output": tensor_json(y),
    }
    if b is not None:
        case["bias"] = tensor_json(b)
    return case


def conv_transpose_case(name, spatial, in_ch, filters, kernel, strides=None, padding="valid",
                        dilation=None, output_padding=None, batch=2):
    rank = len(kernel)
    strides = strides or [1] * rank
    dilation = dilation or [1] * rank
    x = uniform([batch, in_ch] + spatial)
    w = uniform([in_ch, filters] + kernel, 0.5)
    b = uniform([filters], 0.5)
    full = CONV_T[rank](x, w, b, stride=strides, dilation=dilation)
    # Keras's output length (deconv_output_length), then TF's crop offset for that length.
    out_sizes, begins = [], []
    for i in range(rank):
        k_eff = (kernel[i] - 1) * dilation[i] + 1
        n, s = spatial[i], strides[i]
        if output_padding is None:
            out = n * s + max(k_eff - s, 0) if padding == "valid" else n * s
        else:
            pad = k_eff // 2 if padding == "same" else 0
            out = (n - 1) * s + k_eff - 2 * pad + output_padding[i]
        begin = 0
        if padding == "same":
            total = max((n - 1) * s + k_eff - out, 0)
            begin = total // 2
        out_sizes.append(out)
        begins.append(begin)
    y = full
    for i in range(rank):
        axis = 2 + i
        length = y.shape[axis]
        end = begins[i] + out_sizes[i]
        if end > length:  # the output reaches past the full transposed conv: zeros there, plus bias
            extra = list(y.shape)
            extra[axis] = end - length
            filler = torch.zeros(extra) + b.reshape([1, filters] + [1] * rank)
            y = torch.cat([y, filler], dim=axis)
        y = y.narrow(axis, begins[i], out_sizes[i])
    return {
        "name": name,
        "args": {"filters": filters, "kernel_size": kernel, "strides": strides, "padding": padding,
                 "dilation_rate": dilation, "output_padding": output_padding},
        "input": tensor_json(x),
        "weight": tensor_json(w),
        "bias": tensor_json(b),
        "output": tensor_json(y),
    }


def depthwise_case(name, spatial, in_ch, multiplier, kernel, strides=None, padding="valid",
                   dilation=None, batch=2):
    rank = len(kernel)
    strides = strides or [1] * rank
    dilation = dilation or [1] * rank
    x = uniform([batch, in_ch] + spatial)
    w = uniform([in_ch * multiplier, 1] + kernel, 0.5)
    b = uniform([in_ch * multiplier], 0.5)
    xp = pad_spatial(x, kernel, strides, dilation, padding)
    y = CONV[rank](xp, w, b, stride=strides, dilation=dilation, groups=in_ch)
    return {
        "name": name,
        "args": {"depth_multiplier": multiplier, "kernel_size": kernel, "strides": strides,
                 "padding": padding, "dilation_rate": dilation},
        "input": tensor_json(x),
        "weight": tensor_json(w),
        "bias": tensor_json(b),
        "output": tensor_json(y),
    }


def separable_case(name, spatial, in_ch, multiplier, filters, kernel, strides=None,
                   padding="valid", dilation=None, batch=2):
    rank = len(kernel)
    strides = strides or [1] * rank
    dilation = dilation or [1] * rank
    x = uniform([batch, in_ch] + spatial)
    dw = uniform([in_ch * multiplier, 1] + kernel, 0.5)
    pw = uniform([filters, in_ch * multiplier] + [1] * rank, 0.5)
    b = uniform([filters], 0.5)
    xp = pad_spatial(x, kernel, strides, dilation, padding)
    mid = CONV[rank](xp, dw, None, stride=strides, dilation=dilation, groups=in_ch)
    y = CONV[rank](mid, pw, b)
    return {
        "name": name,
        "args": {"depth_multiplier": multiplier, "filters": filters, "kernel_size": kernel,
                 "strides": strides, "padding": padding, "dilation_rate": dilation},
        "input": tensor_json(x),
        "depthwise": tensor_json(dw),
        "pointwise": tensor_json(pw),
        "bias": tensor_json(b),
        "output": tensor_json(y),
    }


def pool_case(name, mode, spatial, channels, pool, strides=None, padding="valid", batch=2,
              offset=0.0):
    rank = len(pool)
    strides = strides or pool
    x = uniform([batch, channels] + spatial) + offset
    ones = [1] * rank
    if mode == "max":
        xp = pad_spatial(x, pool, strides, ones, padding, value=-math.inf)
        y = MAX_POOL[rank](xp, pool, strides)
    else:
        xp = pad_spatial(x, pool, strides, ones, padding)
        mask = pad_spatial(torch.ones_like(x), pool, strides, ones, padding)
        y = AVG_POOL[rank](xp, pool, strides) / AVG_POOL[rank](mask, pool, strides)
    return {
        "name": name,
        "args": {"pool_size": pool, "strides": strides, "padding": padding},
        "input": tensor_json(x),
        "output": tensor_json(y),
    }


def write(file_name, cases):
    path = os.path.join(OUT_DIR, file_name)
    with open(path, "w") as f:
        json.dump({"generator": "packages/core/scripts/reference/conv.py",
                   "torch": torch.__version__, "cases": cases}, f)
    size = os.path.getsize(path)
    assert size < 100_000, f"{file_name} is {size} bytes"
    print(f"{file_name}: {len(cases)} cases, {size} bytes")


write("conv1d.json", [
    conv_case("valid", [7], 3, 4, [3]),
    conv_case("same_stride2_even_kernel", [8], 3, 4, [4], strides=[2], padding="same"),
    conv_case("causal_dilated", [9], 2, 3, [3], padding="causal", dilation=[2]),
    conv_case("same_dilated_groups", [7], 4, 6, [3], padding="same", dilation=[2], groups=2),
])

write("conv2d.json", [
    conv_case("valid", [6, 5], 3, 4, [3, 3]),
    conv_case("same_stride2_even_kernel", [7, 6], 3, 4, [4, 2], strides=[2, 2], padding="same"),
    conv_case("valid_strided", [7, 7], 2, 3, [3, 3], strides=[2, 3]),
    conv_case("same_dilated", [7, 6], 2, 3, [3, 3], padding="same", dilation=[2, 2]),
    conv_case("valid_groups_no_bias", [5, 5], 4, 6, [3, 3], groups=2, use_bias=False),
])

write("conv3d.json", [
    conv_case("valid", [5, 4, 4], 2, 3, [2, 3, 2], batch=1),
    conv_case("same_strided", [5, 5, 4], 2, 3, [3, 3, 2], strides=[2, 2, 2], padding="same",
              batch=1),
    conv_case("valid_dilated", [6, 5, 5], 2, 2, [2, 2, 2], dilation=[2, 2, 1], batch=1),
])

write("conv_transpose.json", [
    conv_transpose_case("2d_valid_stride2", [3, 4], 3, 2, [3, 3], strides=[2, 2]),
    conv_transpose_case("2d_same_stride2", [3, 4], 3, 2, [3, 3], strides=[2, 2], padding="same"),
    conv_transpose_case("2d_same_stride2_even_kernel", [3, 3], 2, 3, [4, 2], strides=[2, 2],
                        padding="same"),
    conv_transpose_case("2d_valid_kernel_smaller_than_stride", [3, 3], 2, 2, [2, 2],
                        strides=[3, 3]),
    conv_transpose_case("2d_same_output_padding", [3, 3], 2, 2, [3, 3], strides=[2, 2],
                        padding="same", output_padding=[1, 0]),
    conv_transpose_case("2d_valid_dilated", [4, 3], 2, 2, [3, 2], dilation=[2, 2]),
    conv_transpose_case("1d_same_stride2", [5], 3, 2, [3], strides=[2], padding="same"),
    conv_transpose_case("3d_valid_stride2", [2, 3, 2], 2, 2, [2, 2, 3], strides=[2, 2, 2],
                        batch=1),
])

write("depthwise.json", [
    depthwise_case("2d_same_stride2_multiplier2", [7, 6], 3, 2, [3, 3], strides=[2, 2],
                   padding="same"),
    depthwise_case("2d_valid_dilated", [7, 7], 2, 1, [3, 2], dilation=[2, 2]),
    depthwise_case("1d_same_multiplier3", [7], 2, 3, [4], padding="same"),
    depthwise_case("1d_same_stride2", [9], 3, 1, [3], strides=[2], padding="same"),
])

write("separable.json", [
    separable_case("2d_same_multiplier2", [6, 5], 3, 2, 4, [3, 3], padding="same"),
    separable_case("2d_valid_strided", [7, 7], 2, 1, 3, [3, 3], strides=[2, 2]),
    separable_case("1d_valid_dilated", [9], 2, 2, 3, [3], dilation=[2]),
])

write("pooling.json", [
    pool_case("max1d_valid", "max", [9], 3, [2]),
    pool_case("max1d_same_stride", "max", [9], 3, [3], strides=[2], padding="same"),
    pool_case("avg1d_same", "average", [9], 3, [2], padding="same"),
    pool_case("max2d_valid", "max", [6, 7], 2, [2, 2]),
    pool_case("max2d_same_strided", "max", [7, 6], 2, [3, 3], strides=[2, 2], padding="same"),
    pool_case("avg2d_valid_strided", "average", [7, 6], 2, [3, 2], strides=[2, 1]),
    pool_case("avg2d_same", "average", [5, 5], 2, [2, 2], padding="same"),
    pool_case("avg2d_same_stride1", "average", [4, 5], 2, [3, 3], strides=[1, 1], padding="same"),
    pool_case("max3d_valid", "max", [4, 4, 5], 2, [2, 2, 2], batch=1),
    pool_case("max3d_same", "max", [5, 4, 3], 2, [2, 2, 2], padding="same", batch=1),
    pool_case("max3d_valid_all_negative", "max", [4, 4, 2], 2, [2, 2, 2], batch=1, offset=-1.5),
    pool_case("max2d_same_all_negative", "max", [5, 5], 2, [2, 2], padding="same", offset=-1.5),
    pool_case("avg3d_valid", "average", [4, 5, 4], 2, [2, 2, 2], batch=1),
    pool_case("avg3d_same", "average", [5, 3, 4], 2, [3, 2, 2], strides=[2, 2, 2], padding="same",
              batch=1),
])

# UpSampling2D(interpolation='bilinear') resizes with half-pixel centres (tf.image.resize), which is
# torch's align_corners=False.
x = uniform([2, 2, 3, 4])
write("upsampling.json", [{
    "name": "bilinear_2x3",
    "args": {"size": [2, 3], "interpolation": "bilinear"},
    "input": tensor_json(x),
    "output": tensor_json(F.interpolate(x, scale_factor=(2, 3), mode="bilinear",
                                        align_corners=False)),
}])
