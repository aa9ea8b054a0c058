#!/usr/bin/python3
"""Reference outputs for Cornu's recurrent and attention layers, computed with PyTorch.

Run from the repository root with Debian's interpreter:

    /usr/bin/python3 packages/core/scripts/reference/rnn_attention.py

It prints the torch version and writes JSON fixtures to
packages/core/test-fixtures/reference/rnn-attention/. Each fixture holds
`{"torch_version", "description", "tensors": {name: {"shape", "data"}}}` with flat row-major
float data. Weights are stored in TORCH layout (nn.RNN / nn.LSTM / nn.GRU / nn.MultiheadAttention
parameter names and shapes); the TypeScript tests map them to Keras layout explicitly. Parameters
of the hand-written cells (GRU reset_before, attention score layers, GQA, ConvLSTM2D) are stored in
Keras layout, as the docstring of each generator says.

All random values are drawn as float32 from fixed seeds; the forward passes run in float64 so the
stored outputs are accurate well below the tests' 1e-5 tolerance.

Part two reads the real Keras 3 fixtures (rnn_masked.keras, transformer_block.keras) from
/work/shared/fixtures/keras/keras3/generated and writes their weights (h5py) next to their
reference inputs and outputs, so the tests can rebuild those layers by hand.
"""
import json
import os
import zipfile
import io

import h5py
import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "test-fixtures", "reference", "rnn-attention",
)
KERAS_FIXTURES = "/work/shared/fixtures/keras/keras3/generated"

print("torch", torch.__version__)
os.makedirs(OUT, exist_ok=True)


def rand(gen, *shape, scale=0.5):
    return (torch.randn(*shape, generator=gen, dtype=torch.float32) * scale).double()


def enc(t):
    a = t.detach().cpu().double().numpy() if torch.is_tensor(t) else np.asarray(t, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def write(name, description, tensors):
    path = os.path.join(OUT, name + ".json")
    payload = {
        "torch_version": torch.__version__,
        "description": description,
        "tensors": {k: enc(v) for k, v in tensors.items()},
    }
    with open(path, "w") as f:
        json.dump(payload, f, separators=(",", ":"))
    print("wrote", path, os.path.getsize(path), "bytes")


# A [batch, time] mask with post-padding, pre-padding and an interior gap.
MASK = torch.tensor(
    [[1, 1, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 1, 0]], dtype=torch.bool
)


def masked_loop(cell_step, x, states, mask, go_backwards=False):
    """Keras's masked time loop: masked steps carry the previous output and states."""
    steps = list(range(x.shape[1]))
    if go_backwards:
        steps = steps[::-1]
    prev_out = torch.zeros(x.shape[0], states[0].shape[1], dtype=x.dtype)
    outs = []
    for t in steps:
        out, new_states = cell_step(x[:, t], states)
        m = mask[:, t : t + 1]
        out = torch.where(m, out, prev_out)
        states = [torch.where(m, n, s) for n, s in zip(new_states, states)]
        prev_out = out
        outs.append(out)
    return torch.stack(outs, dim=1), states


def simple_rnn():
    g = torch.Generator().manual_seed(101)
    rnn = torch.nn.RNN(3, 4, batch_first=True).double()
    with torch.no_grad():
        for p in rnn.parameters():
            p.copy_(rand(g, *p.shape))
    x = rand(g, 3, 5, 3, scale=1.0)
    h0 = rand(g, 1, 3, 4)
    seq, hn = rnn(x)
    seq_h0, _ = rnn(x, h0)
    cell = torch.nn.RNNCell(3, 4).double()
    with torch.no_grad():
        cell.weight_ih.copy_(rnn.weight_ih_l0)
        cell.weight_hh.copy_(rnn.weight_hh_l0)
        cell.bias_ih.copy_(rnn.bias_ih_l0)
        cell.bias_hh.copy_(rnn.bias_hh_l0)
    step = lambda xt, s: (lambda h: (h, [h]))(cell(xt, s[0]))
    zeros = [torch.zeros(3, 4, dtype=torch.float64)]
    masked_seq, masked_states = masked_loop(step, x, zeros, MASK)
    back_seq, _ = masked_loop(step, x, zeros, torch.ones_like(MASK), go_backwards=True)
    write(
        "simple_rnn",
        "torch.nn.RNN(3, 4, tanh, batch_first) and an nn.RNNCell masked loop (Keras masking rule); "
        "Keras kernel = weight_ih_l0.T, recurrent_kernel = weight_hh_l0.T, bias = bias_ih_l0 + bias_hh_l0",
        {
            "x": x, "mask": MASK.double(), "h0": h0[0],
            "weight_ih_l0": rnn.weight_ih_l0, "weight_hh_l0": rnn.weight_hh_l0,
            "bias_ih_l0": rnn.bias_ih_l0, "bias_hh_l0": rnn.bias_hh_l0,
            "sequences": seq, "last_state": hn[0], "sequences_from_h0": seq_h0,
            "masked_sequences": masked_seq, "masked_last_state": masked_states[0],
            "backwards_sequences": back_seq,
        },
    )


def lstm():
    g = torch.Generator().manual_seed(102)
    lstm = torch.nn.LSTM(3, 4, batch_first=True).double()
    with torch.no_grad():
        for p in lstm.parameters():
            p.copy_(rand(g, *p.shape))
    x = rand(g, 3, 5, 3, scale=1.0)
    seq, (hn, cn) = lstm(x)
    cell = torch.nn.LSTMCell(3, 4).double()
    with torch.no_grad():
        cell.weight_ih.copy_(lstm.weight_ih_l0)
        cell.weight_hh.copy_(lstm.weight_hh_l0)
        cell.bias_ih.copy_(lstm.bias_ih_l0)
        cell.bias_hh.copy_(lstm.bias_hh_l0)

    def step(xt, s):
        h, c = cell(xt, (s[0], s[1]))
        return h, [h, c]

    zeros = [torch.zeros(3, 4, dtype=torch.float64) for _ in range(2)]
    masked_seq, masked_states = masked_loop(step, x, zeros, MASK)
    masked_back_seq, masked_back_states = masked_loop(step, x, zeros, MASK, go_backwards=True)
    write(
        "lstm",
        "torch.nn.LSTM(3, 4, batch_first), gate order i,f,g,o (= Keras i,f,c,o); masked loops with "
        "nn.LSTMCell. Keras kernel = weight_ih_l0.T, recurrent_kernel = weight_hh_l0.T, bias = b_ih + b_hh",
        {
            "x": x, "mask": MASK.double(),
            "weight_ih_l0": lstm.weight_ih_l0, "weight_hh_l0": lstm.weight_hh_l0,
            "bias_ih_l0": lstm.bias_ih_l0, "bias_hh_l0": lstm.bias_hh_l0,
            "sequences": seq, "last_h": hn[0], "last_c": cn[0],
            "masked_sequences": masked_seq, "masked_last_h": masked_states[0],
            "masked_last_c": masked_states[1],
            "masked_backwards_sequences": masked_back_seq,
            "masked_backwards_last_h": masked_back_states[0],
        },
    )


def gru():
    g = torch.Generator().manual_seed(103)
    gru = torch.nn.GRU(3, 4, batch_first=True).double()
    with torch.no_grad():
        for p in gru.parameters():
            p.copy_(rand(g, *p.shape))
    x = rand(g, 3, 5, 3, scale=1.0)
    seq, hn = gru(x)
    cell = torch.nn.GRUCell(3, 4).double()
    with torch.no_grad():
        cell.weight_ih.copy_(gru.weight_ih_l0)
        cell.weight_hh.copy_(gru.weight_hh_l0)
        cell.bias_ih.copy_(gru.bias_ih_l0)
        cell.bias_hh.copy_(gru.bias_hh_l0)
    step = lambda xt, s: (lambda h: (h, [h]))(cell(xt, s[0]))
    zeros = [torch.zeros(3, 4, dtype=torch.float64)]
    masked_seq, masked_states = masked_loop(step, x, zeros, MASK)
    write(
        "gru",
        "torch.nn.GRU(3, 4, batch_first) = Keras GRU reset_after=True. torch gate blocks are r,z,n; "
        "Keras is z,r,h: kernel = [W_z; W_r; W_n].T, recurrent_kernel likewise, "
        "bias = [[b_ih z,r,n], [b_hh z,r,n]] with shape [2, 12]",
        {
            "x": x, "mask": MASK.double(),
            "weight_ih_l0": gru.weight_ih_l0, "weight_hh_l0": gru.weight_hh_l0,
            "bias_ih_l0": gru.bias_ih_l0, "bias_hh_l0": gru.bias_hh_l0,
            "sequences": seq, "last_state": hn[0],
            "masked_sequences": masked_seq, "masked_last_state": masked_states[0],
        },
    )


def gru_reset_before():
    """GRU v3 (reset gate before the recurrent matmul), hand-written in torch, Keras layout."""
    g = torch.Generator().manual_seed(104)
    units = 4
    kernel = rand(g, 3, 3 * units)
    recurrent = rand(g, units, 3 * units)
    bias = rand(g, 3 * units)
    x = rand(g, 3, 5, 3, scale=1.0)

    def step(xt, s):
        h = s[0]
        mx = xt @ kernel + bias
        xz, xr, xh = mx[:, :units], mx[:, units : 2 * units], mx[:, 2 * units :]
        z = torch.sigmoid(xz + h @ recurrent[:, :units])
        r = torch.sigmoid(xr + h @ recurrent[:, units : 2 * units])
        hh = torch.tanh(xh + (r * h) @ recurrent[:, 2 * units :])
        new = z * h + (1 - z) * hh
        return new, [new]

    zeros = [torch.zeros(3, units, dtype=torch.float64)]
    seq, states = masked_loop(step, x, zeros, torch.ones_like(MASK))
    write(
        "gru_reset_before",
        "hand-written GRU (reset_after=False, gates z,r,h): z=sig(x Wz + h Uz + bz), "
        "r=sig(x Wr + h Ur + br), hh=tanh(x Wh + (r*h) Uh + bh), h'=z*h+(1-z)*hh. Keras layout: "
        "kernel [3,12], recurrent_kernel [4,12], bias [12]",
        {"x": x, "kernel": kernel, "recurrent_kernel": recurrent, "bias": bias,
         "sequences": seq, "last_state": states[0]},
    )


def bidirectional():
    g = torch.Generator().manual_seed(105)
    lstm = torch.nn.LSTM(3, 4, batch_first=True, bidirectional=True).double()
    with torch.no_grad():
        for p in lstm.parameters():
            p.copy_(rand(g, *p.shape))
    x = rand(g, 2, 5, 3, scale=1.0)
    seq, (hn, cn) = lstm(x)
    tensors = {"x": x, "sequences_concat": seq, "h_n": hn, "c_n": cn}
    for name, p in lstm.named_parameters():
        tensors[name] = p
    write(
        "bidirectional_lstm",
        "torch.nn.LSTM(3, 4, bidirectional, batch_first): output [B,T,8] = concat(forward, backward "
        "aligned to input time) = Keras Bidirectional(LSTM(4, return_sequences)) merge_mode concat; "
        "h_n[0]/h_n[1] = last forward/backward states. *_reverse parameters belong to the backward layer",
        tensors,
    )


def mha():
    g = torch.Generator().manual_seed(106)
    embed, heads = 8, 2
    m = torch.nn.MultiheadAttention(embed, heads, batch_first=True).double()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(rand(g, *p.shape))
    q = rand(g, 2, 4, embed, scale=1.0)
    v = rand(g, 2, 6, embed, scale=1.0)
    out, weights = m(q, v, v, need_weights=True, average_attn_weights=False)
    key_padding = torch.tensor([[False] * 6, [False] * 4 + [True] * 2])
    out_masked, weights_masked = m(
        q, v, v, key_padding_mask=key_padding, need_weights=True, average_attn_weights=False
    )
    s = rand(g, 2, 5, embed, scale=1.0)
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
    out_causal, _ = m(s, s, s, attn_mask=causal, need_weights=False)
    write(
        "multi_head_attention",
        "torch.nn.MultiheadAttention(8, 2, batch_first): in_proj_weight rows [q;k;v], each [8 = "
        "head*4 + d, 8]; Keras query kernel [8,2,4] = in_proj_weight[0:8].T reshaped, bias [2,4] = "
        "in_proj_bias[0:8] reshaped; output kernel [2,4,8] = out_proj.weight.T reshaped. Cases: "
        "query [2,4,8] attends value [2,6,8]; the same with value mask (last 2 steps of sample 1 "
        "masked); causal self-attention on s [2,5,8]. Scores are per head [B,2,T,S]",
        {
            "query": q, "value": v, "self_input": s,
            "value_mask": (~key_padding).double(),
            "in_proj_weight": m.in_proj_weight, "in_proj_bias": m.in_proj_bias,
            "out_proj_weight": m.out_proj.weight, "out_proj_bias": m.out_proj.bias,
            "output": out, "scores": weights,
            "output_masked": out_masked, "scores_masked": weights_masked,
            "output_causal": out_causal,
        },
    )


def gqa():
    """GroupedQueryAttention in torch by hand, Keras EinsumDense layout."""
    g = torch.Generator().manual_seed(107)
    dim, qh, kvh, hd = 6, 4, 2, 3
    wq, bq = rand(g, dim, qh, hd), rand(g, qh, hd)
    wk, bk = rand(g, dim, kvh, hd), rand(g, kvh, hd)
    wv, bv = rand(g, dim, kvh, hd), rand(g, kvh, hd)
    wo, bo = rand(g, qh, hd, dim), rand(g, dim)
    q_in = rand(g, 2, 3, dim, scale=1.0)
    v_in = rand(g, 2, 5, dim, scale=1.0)
    q = torch.einsum("bqm,muh->bquh", q_in, wq) + bq
    k = torch.einsum("bkm,mvh->bkvh", v_in, wk) + bk
    v = torch.einsum("bkm,mvh->bkvh", v_in, wv) + bv
    k = k.repeat_interleave(qh // kvh, dim=2)
    v = v.repeat_interleave(qh // kvh, dim=2)
    scores = torch.einsum("bquh,bkuh->buqk", q / np.sqrt(hd), k).softmax(-1)
    o = torch.einsum("buqk,bkuh->bquh", scores, v)
    out = torch.einsum("bquh,uhm->bqm", o, wo) + bo
    write(
        "grouped_query_attention",
        "GQA head_dim 3, 4 query heads, 2 key/value heads (each kv head serves 2 consecutive query "
        "heads), query [2,3,6], value=key [2,5,6]; Keras layout kernels query [6,4,3], key/value "
        "[6,2,3], attention_output [4,3,6]",
        {"query": q_in, "value": v_in, "wq": wq, "bq": bq, "wk": wk, "bk": bk, "wv": wv, "bv": bv,
         "wo": wo, "bo": bo, "output": out, "scores": scores},
    )


def dense_attention():
    """Attention (dot, scaled, concat) and AdditiveAttention in torch by hand."""
    g = torch.Generator().manual_seed(108)
    q = rand(g, 2, 3, 4, scale=1.0)
    v = rand(g, 2, 5, 4, scale=1.0)
    k = rand(g, 2, 5, 4, scale=1.0)
    scale = torch.tensor(0.7, dtype=torch.float64)
    concat_w = torch.tensor(1.3, dtype=torch.float64)
    add_scale = rand(g, 4)
    vmask = torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], dtype=torch.bool)
    qmask = torch.tensor([[1, 1, 0], [1, 1, 1]], dtype=torch.bool)

    def apply(scores, smask):
        if smask is not None:
            scores = scores - 1e9 * (~smask).double()
        w = scores.softmax(-1)
        return w @ v, w

    dot = q @ k.transpose(1, 2)
    out_dot, w_dot = apply(dot, None)
    out_scaled_masked, _ = apply(dot * scale, vmask[:, None, :])
    out_scaled_masked = out_scaled_masked * qmask[..., None].double()
    causal = torch.tril(torch.ones(3, 5, dtype=torch.bool))[None]
    out_causal, _ = apply(dot, causal)
    concat = concat_w * torch.tanh(scale * (q[:, :, None, :] + k[:, None, :, :])).sum(-1)
    out_concat, _ = apply(concat, None)
    additive = (add_scale * torch.tanh(q[:, :, None, :] + k[:, None, :, :])).sum(-1)
    out_additive, w_additive = apply(additive, vmask[:, None, :])
    write(
        "dense_attention",
        "Keras Attention/AdditiveAttention by hand: query [2,3,4], value [2,5,4], key [2,5,4]. "
        "out_dot: dot scores, no scale; out_scaled_masked: scale=0.7, value mask and query mask; "
        "out_causal: causal; out_concat: score_mode concat, scale 0.7, concat_score_weight 1.3; "
        "out_additive: AdditiveAttention scale vector [4] with value mask",
        {"query": q, "value": v, "key": k, "value_mask": vmask.double(), "query_mask": qmask.double(),
         "scale": scale, "concat_score_weight": concat_w, "additive_scale": add_scale,
         "out_dot": out_dot, "scores_dot": w_dot, "out_scaled_masked": out_scaled_masked,
         "out_causal": out_causal, "out_concat": out_concat, "out_additive": out_additive,
         "scores_additive": w_additive},
    )


def conv_lstm2d():
    """ConvLSTM2D (channels_last, padding same, gates i,f,c,o) by hand with F.conv2d."""
    g = torch.Generator().manual_seed(109)
    cin, filters, kh, kw = 2, 3, 3, 3
    kernel = rand(g, kh, kw, cin, 4 * filters, scale=0.3)
    recurrent = rand(g, kh, kw, filters, 4 * filters, scale=0.3)
    bias = rand(g, 4 * filters, scale=0.3)
    x = rand(g, 2, 3, 5, 5, cin, scale=1.0)
    to_oihw = lambda k: k.permute(3, 2, 0, 1)
    h = torch.zeros(2, filters, 5, 5, dtype=torch.float64)
    c = torch.zeros_like(h)
    outs = []
    for t in range(x.shape[1]):
        xt = x[:, t].permute(0, 3, 1, 2)
        zx = F.conv2d(xt, to_oihw(kernel), bias, padding=1)
        zh = F.conv2d(h, to_oihw(recurrent), padding=1)
        z = zx + zh
        i, f, cc, o = torch.split(z, filters, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(cc)
        h = torch.sigmoid(o) * torch.tanh(c)
        outs.append(h.permute(0, 2, 3, 1))
    write(
        "conv_lstm2d",
        "ConvLSTM2D(3 filters, 3x3, padding same, channels_last) by hand: x [2,3,5,5,2]; Keras layout "
        "kernel [3,3,2,12], recurrent_kernel [3,3,3,12], bias [12]",
        {"x": x, "kernel": kernel, "recurrent_kernel": recurrent, "bias": bias,
         "sequences": torch.stack(outs, dim=1)},
    )


def keras_fixture_weights(stem):
    with zipfile.ZipFile(os.path.join(KERAS_FIXTURES, stem + ".keras")) as z:
        data = z.read("model.weights.h5")
    tensors = {}
    with h5py.File(io.BytesIO(data), "r") as h:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                tensors[name] = np.array(obj, dtype=np.float64)
        h.visititems(visit)
    with open(os.path.join(KERAS_FIXTURES, stem + ".reference.json")) as f:
        ref = json.load(f)
    for item in ref["inputs"]:
        tensors["input/" + item["name"]] = np.array(item["data"], dtype=np.float64)
    for item in ref["outputs"]:
        tensors["output/" + item["name"]] = np.array(item["data"], dtype=np.float64)
    alt = os.path.join(KERAS_FIXTURES, stem + ".keras-3.15.0.reference.json")
    if os.path.exists(alt):
        with open(alt) as f:
            ref = json.load(f)
        for item in ref["outputs"]:
            tensors["output_keras_3_15/" + item["name"]] = np.array(item["data"], dtype=np.float64)
    write(
        "keras3_" + stem,
        f"weights of {stem}.keras (model.weights.h5 read with h5py {h5py.__version__}, keys are "
        "the HDF5 paths) with the inputs/outputs of its reference.json (Keras 3.16.0 numpy backend)",
        tensors,
    )


simple_rnn()
lstm()
gru()
gru_reset_before()
bidirectional()
mha()
gqa()
dense_attention()
conv_lstm2d()
keras_fixture_weights("rnn_masked")
keras_fixture_weights("transformer_block")
