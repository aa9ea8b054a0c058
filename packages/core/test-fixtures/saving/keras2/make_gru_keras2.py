"""Writes Keras 2 full-model .h5 files (Sequential GRU(4) -> Dense(2), both GRU variants) and
their reference predictions, without Keras: the HDF5 layout (model_config / model_weights,
layer_names / weight_names attributes, '<layer>/<layer>/<weight>:0' datasets) is the one Keras 2's
`model.save` writes (compare the dl4j fixtures beside this file); the predictions come from an
independent float64 NumPy implementation of the Keras 2 GRU equations:

  reset_after=False (Keras 2.0-2.2 default, hard_sigmoid = clip(0.2x + 0.5, 0, 1)):
    z = rec(x Wz + bz + h Uz); r = rec(x Wr + br + h Ur); c = tanh(x Wh + bh + (r*h) Uh)
  reset_after=True (tf.keras 2.x default, CuDNN-compatible, bias of shape (2, 3u)):
    z = rec(x Wz + bz + h Uz + b'z); r = rec(x Wr + br + h Ur + b'r); c = tanh(x Wh + bh + r*(h Uh + b'h))
  h = z*h + (1-z)*c; gate order in the kernels: z, r, h.

Run: /usr/bin/python3 make_gru_keras2.py (numpy, h5py). Outputs gru_keras2_reset_after_{false,true}.h5
and gru_keras2_reference.json.
"""
import json
import h5py
import numpy as np

T, F, U, O = 5, 3, 4, 2


def hard_sigmoid(x):
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def gru_forward(x, kernel, rec, bias, reset_after, rec_act):
    h = np.zeros((x.shape[0], U))
    for t in range(x.shape[1]):
        xt = x[:, t, :]
        if reset_after:
            mx = xt @ kernel + bias[0]
            mi = h @ rec + bias[1]
            z = rec_act(mx[:, :U] + mi[:, :U])
            r = rec_act(mx[:, U:2 * U] + mi[:, U:2 * U])
            c = np.tanh(mx[:, 2 * U:] + r * mi[:, 2 * U:])
        else:
            mx = xt @ kernel + bias
            z = rec_act(mx[:, :U] + h @ rec[:, :U])
            r = rec_act(mx[:, U:2 * U] + h @ rec[:, U:2 * U])
            c = np.tanh(mx[:, 2 * U:] + (r * h) @ rec[:, 2 * U:])
        h = z * h + (1 - z) * c
    return h


def layer_config(reset_after, rec_act_name):
    init = lambda name, cfg: {"class_name": name, "config": cfg}
    return {
        "name": "gru_1", "trainable": True, "batch_input_shape": [None, T, F], "dtype": "float32",
        "return_sequences": False, "return_state": False, "go_backwards": False, "stateful": False,
        "unroll": False, "units": U, "activation": "tanh", "recurrent_activation": rec_act_name,
        "use_bias": True,
        "kernel_initializer": init("VarianceScaling", {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}),
        "recurrent_initializer": init("Orthogonal", {"gain": 1.0, "seed": None}),
        "bias_initializer": init("Zeros", {}),
        "kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
        "bias_constraint": None, "dropout": 0.0, "recurrent_dropout": 0.0, "implementation": 2,
        "reset_after": reset_after,
    }


def write(path, reset_after, rng):
    rec_act_name = "sigmoid" if reset_after else "hard_sigmoid"
    rec_act = sigmoid if reset_after else hard_sigmoid
    kernel = rng.normal(0, 0.5, (F, 3 * U)).astype(np.float32)
    rec = rng.normal(0, 0.5, (U, 3 * U)).astype(np.float32)
    bias = rng.normal(0, 0.2, (2, 3 * U) if reset_after else (3 * U,)).astype(np.float32)
    dk = rng.normal(0, 0.5, (U, O)).astype(np.float32)
    db = rng.normal(0, 0.1, (O,)).astype(np.float32)
    config = {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": [
        {"class_name": "GRU", "config": layer_config(reset_after, rec_act_name)},
        {"class_name": "Dense", "config": {"name": "dense_1", "trainable": True, "dtype": "float32", "units": O,
                                            "activation": "linear", "use_bias": True,
                                            "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
                                            "bias_initializer": {"class_name": "Zeros", "config": {}},
                                            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
                                            "kernel_constraint": None, "bias_constraint": None}},
    ]}}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = np.bytes_("2.4.0")
        f.attrs["backend"] = np.bytes_("tensorflow")
        f.attrs["model_config"] = np.bytes_(json.dumps(config))
        mw = f.create_group("model_weights")
        mw.attrs["layer_names"] = np.array([b"gru_1", b"dense_1"])
        mw.attrs["backend"] = np.bytes_("tensorflow")
        mw.attrs["keras_version"] = np.bytes_("2.4.0")
        g = mw.create_group("gru_1")
        g.attrs["weight_names"] = np.array([b"gru_1/kernel:0", b"gru_1/recurrent_kernel:0", b"gru_1/bias:0"])
        g.create_dataset("gru_1/kernel:0", data=kernel)
        g.create_dataset("gru_1/recurrent_kernel:0", data=rec)
        g.create_dataset("gru_1/bias:0", data=bias)
        d = mw.create_group("dense_1")
        d.attrs["weight_names"] = np.array([b"dense_1/kernel:0", b"dense_1/bias:0"])
        d.create_dataset("dense_1/kernel:0", data=dk)
        d.create_dataset("dense_1/bias:0", data=db)
    x = rng.normal(0, 1, (3, T, F)).astype(np.float32)
    h = gru_forward(x.astype(np.float64), kernel.astype(np.float64), rec.astype(np.float64), bias.astype(np.float64), reset_after, rec_act)
    y = h @ dk.astype(np.float64) + db.astype(np.float64)
    return {"input": x.tolist(), "output": y.tolist()}


rng = np.random.default_rng(2024)
reference = {
    "reset_after_false": write("gru_keras2_reset_after_false.h5", False, rng),
    "reset_after_true": write("gru_keras2_reset_after_true.h5", True, rng),
}
with open("gru_keras2_reference.json", "w") as f:
    json.dump(reference, f)
