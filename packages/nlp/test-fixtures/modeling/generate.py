"""Reference outputs of Cornu's TransformerEncoder / TransformerDecoder, computed by PyTorch.

PyTorch's own nn.TransformerEncoderLayer / nn.TransformerDecoderLayer (batch_first, float64,
dropout 0) are the independent implementation. Their weights are random; this script writes them
in the KerasHub layout (the order of `layer.weights` in Cornu, which is Keras 3's), mapping
each torch tensor explicitly:

  torch self_attn.in_proj_weight [3d, d] = [W_q; W_k; W_v], y = x W^T + b
    -> <mha>/query/kernel [d, heads, head_dim] = W_q^T reshaped, <mha>/query/bias [heads, head_dim]
       (likewise key, value)
  torch self_attn.out_proj.weight [d, d] -> <mha>/attention_output/kernel [heads, head_dim, d] = W_o^T reshaped
  torch linear1 / linear2 -> feedforward_intermediate_dense / feedforward_output_dense (kernel = weight^T)
  torch encoder norm1 / norm2 -> self_attention_layer_norm / feedforward_layer_norm (gamma, beta)
  torch decoder norm1 / norm2 / norm3 -> self_attention_layer_norm / cross_attention_layer_norm / feedforward_layer_norm

FNetEncoder: numpy.fft.fft2 (real part) and the KerasHub block written out in numpy.

Masks: torch key_padding_mask (True = padding) is the negation of Cornu's paddingMask (1 = token);
torch's boolean causal mask (True = blocked) is the complement of KerasHub's causal mask.

Run: /usr/bin/python3 packages/nlp/test-fixtures/modeling/generate.py  (writes transformer-reference.json)
"""

import json
import os

import torch
from torch import nn

torch.manual_seed(20240611)

BATCH, SEQ, ENC_SEQ, HIDDEN, HEADS, FF = 2, 5, 4, 8, 2, 16
HEAD_DIM = HIDDEN // HEADS


def r(t):
    return [round(float(v), 9) for v in t.detach().reshape(-1).tolist()]


def weight(name, t):
    return {"name": name, "shape": list(t.shape), "values": r(t)}


def attention_weights(prefix, mha):
    d = HIDDEN
    w_q, w_k, w_v = mha.in_proj_weight.detach().split(d, 0)
    b_q, b_k, b_v = mha.in_proj_bias.detach().split(d, 0)
    out = []
    for name, w, b in (("query", w_q, b_q), ("key", w_k, b_k), ("value", w_v, b_v)):
        out.append(weight(f"{prefix}/{name}/kernel", w.T.reshape(d, HEADS, HEAD_DIM)))
        out.append(weight(f"{prefix}/{name}/bias", b.reshape(HEADS, HEAD_DIM)))
    out.append(weight(f"{prefix}/attention_output/kernel", mha.out_proj.weight.detach().T.reshape(HEADS, HEAD_DIM, d)))
    out.append(weight(f"{prefix}/attention_output/bias", mha.out_proj.bias.detach()))
    return out


def norm_weights(prefix, norm):
    return [weight(f"{prefix}/gamma", norm.weight), weight(f"{prefix}/beta", norm.bias)]


def dense_weights(prefix, linear):
    return [weight(f"{prefix}/kernel", linear.weight.detach().T), weight(f"{prefix}/bias", linear.bias)]


def randomize(module):
    # Non-trivial norms and biases, so that every mapped tensor matters.
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn_like(p) * 0.4)
        for name, p in module.named_parameters():
            if name.startswith("norm") and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * torch.randn_like(p))


def padding(lengths, seq):
    return torch.tensor([[1 if i < n else 0 for i in range(seq)] for n in lengths], dtype=torch.int64)


def causal(seq):
    return torch.triu(torch.ones(seq, seq, dtype=torch.bool), diagonal=1)


def encoder_case(name, normalize_first, activation, lengths):
    layer = nn.TransformerEncoderLayer(
        HIDDEN, HEADS, FF, dropout=0.0, activation=activation, layer_norm_eps=1e-5, batch_first=True, norm_first=normalize_first
    ).double()
    randomize(layer)
    layer.train()  # dropout is 0; training mode keeps torch off its fused fast path
    x = torch.randn(BATCH, SEQ, HIDDEN, dtype=torch.float64)
    pad = padding(lengths, SEQ) if lengths else None
    with torch.no_grad():
        y = layer(x, src_key_padding_mask=(pad == 0) if pad is not None else None)
    weights = (
        attention_weights("self_attention_layer", layer.self_attn)
        + norm_weights("self_attention_layer_norm", layer.norm1)
        + norm_weights("feedforward_layer_norm", layer.norm2)
        + dense_weights("feedforward_intermediate_dense", layer.linear1)
        + dense_weights("feedforward_output_dense", layer.linear2)
    )
    case = {
        "name": name,
        "config": {"intermediateDim": FF, "numHeads": HEADS, "normalizeFirst": normalize_first, "activation": activation},
        "inputShape": list(x.shape),
        "input": r(x),
        "weights": weights,
        "output": r(y),
    }
    if pad is not None:
        case["paddingMask"] = pad.reshape(-1).tolist()
    return case


def decoder_only_case(name, normalize_first, lengths):
    # A decoder without cross-attention is self-attention (causal) + feedforward: torch's encoder layer with a causal mask.
    layer = nn.TransformerEncoderLayer(
        HIDDEN, HEADS, FF, dropout=0.0, activation="relu", layer_norm_eps=1e-5, batch_first=True, norm_first=normalize_first
    ).double()
    randomize(layer)
    layer.train()
    x = torch.randn(BATCH, SEQ, HIDDEN, dtype=torch.float64)
    pad = padding(lengths, SEQ)
    with torch.no_grad():
        y = layer(x, src_mask=causal(SEQ), src_key_padding_mask=(pad == 0))
    weights = (
        attention_weights("self_attention", layer.self_attn)
        + norm_weights("self_attention_layer_norm", layer.norm1)
        + dense_weights("feedforward_intermediate_dense", layer.linear1)
        + dense_weights("feedforward_output_dense", layer.linear2)
        + norm_weights("feedforward_layer_norm", layer.norm2)
    )
    return {
        "name": name,
        "config": {"intermediateDim": FF, "numHeads": HEADS, "normalizeFirst": normalize_first, "activation": "relu"},
        "inputShape": list(x.shape),
        "input": r(x),
        "paddingMask": pad.reshape(-1).tolist(),
        "weights": weights,
        "output": r(y),
    }


def decoder_cross_case(name, normalize_first, lengths, encoder_lengths):
    layer = nn.TransformerDecoderLayer(
        HIDDEN, HEADS, FF, dropout=0.0, activation="relu", layer_norm_eps=1e-5, batch_first=True, norm_first=normalize_first
    ).double()
    randomize(layer)
    layer.train()
    x = torch.randn(BATCH, SEQ, HIDDEN, dtype=torch.float64)
    memory = torch.randn(BATCH, ENC_SEQ, HIDDEN, dtype=torch.float64)
    pad = padding(lengths, SEQ)
    enc_pad = padding(encoder_lengths, ENC_SEQ)
    with torch.no_grad():
        y = layer(x, memory, tgt_mask=causal(SEQ), tgt_key_padding_mask=(pad == 0), memory_key_padding_mask=(enc_pad == 0))
    weights = (
        attention_weights("self_attention", layer.self_attn)
        + norm_weights("self_attention_layer_norm", layer.norm1)
        + attention_weights("cross_attention", layer.multihead_attn)
        + norm_weights("cross_attention_layer_norm", layer.norm2)
        + dense_weights("feedforward_intermediate_dense", layer.linear1)
        + dense_weights("feedforward_output_dense", layer.linear2)
        + norm_weights("feedforward_layer_norm", layer.norm3)
    )
    return {
        "name": name,
        "config": {"intermediateDim": FF, "numHeads": HEADS, "normalizeFirst": normalize_first, "activation": "relu"},
        "inputShape": list(x.shape),
        "input": r(x),
        "encoderShape": list(memory.shape),
        "encoderInput": r(memory),
        "paddingMask": pad.reshape(-1).tolist(),
        "encoderPaddingMask": enc_pad.reshape(-1).tolist(),
        "weights": weights,
        "output": r(y),
    }


def fnet_case():
    # FNet mixing: numpy's FFT (an independent algorithm from Cornu's DFT matrices), then the KerasHub block.
    import numpy as np

    rng = np.random.default_rng(7)
    x = rng.normal(size=(BATCH, SEQ, HIDDEN))
    g1, b1, g2, b2 = (1 + 0.2 * rng.normal(size=HIDDEN), 0.3 * rng.normal(size=HIDDEN), 1 + 0.2 * rng.normal(size=HIDDEN), 0.3 * rng.normal(size=HIDDEN))
    k1, c1 = 0.4 * rng.normal(size=(HIDDEN, FF)), 0.3 * rng.normal(size=FF)
    k2, c2 = 0.4 * rng.normal(size=(FF, HIDDEN)), 0.3 * rng.normal(size=HIDDEN)

    def ln(v, g, b):
        m = v.mean(-1, keepdims=True)
        return (v - m) / np.sqrt(((v - m) ** 2).mean(-1, keepdims=True) + 1e-5) * g + b

    mixing = np.real(np.fft.fft2(x, axes=(-2, -1)))
    mixed = ln(x + mixing, g1, b1)
    y = ln(mixed + np.maximum(mixed @ k1 + c1, 0) @ k2 + c2, g2, b2)
    t = torch.from_numpy
    return {
        "inputShape": list(x.shape),
        "input": r(t(x)),
        "mixing": r(t(mixing)),
        "weights": [
            weight("mixing_layer_norm/gamma", t(g1)),
            weight("mixing_layer_norm/beta", t(b1)),
            weight("output_layer_norm/gamma", t(g2)),
            weight("output_layer_norm/beta", t(b2)),
            weight("intermediate_dense/kernel", t(k1)),
            weight("intermediate_dense/bias", t(c1)),
            weight("output_dense/kernel", t(k2)),
            weight("output_dense/bias", t(c2)),
        ],
        "output": r(t(y)),
    }


fixture = {
    "generator": "packages/nlp/test-fixtures/modeling/generate.py",
    "torch": torch.__version__,
    "encoder": [
        encoder_case("post_norm_relu_padding", False, "relu", [5, 3]),
        encoder_case("pre_norm_gelu_padding", True, "gelu", [4, 2]),
        encoder_case("post_norm_relu_no_mask", False, "relu", None),
    ],
    "decoder": [
        decoder_only_case("decoder_only_post_norm", False, [5, 3]),
        decoder_only_case("decoder_only_pre_norm", True, [4, 5]),
        decoder_cross_case("cross_post_norm", False, [5, 3], [4, 2]),
        decoder_cross_case("cross_pre_norm", True, [3, 5], [3, 4]),
    ],
    "fnet": fnet_case(),
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transformer-reference.json")
with open(out, "w") as f:
    json.dump(fixture, f, separators=(",", ":"))
print(f"wrote {out} ({os.path.getsize(out)} bytes) with torch {torch.__version__}")
