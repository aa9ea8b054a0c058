"""Writes test-fixtures/reference/keras-configs/<family>.json: for every layer class Cornu exports
that Keras 3 also has, one to three instances built with non-default arguments, each as
`keras.saving.serialize_keras_object(layer)` (module, class_name, config, registered_name,
build_config) after building on a symbolic input, plus, where the layer computes something
deterministic in inference, a small input, the layer's weights (`layer.weights` order, set to
rounded random values first) and Keras's output (`training=False`).

Run with real Keras (the lookup/hashing/text layers need TensorFlow installed beside it):

    KERAS_BACKEND=jax python packages/core/scripts/reference/keras_layer_configs.py

Generated with Keras 3.15.1, jax 0.10.2, tensorflow-cpu 2.21.0 (only for the TF-backed
preprocessing layers), numpy 2.4.6. Seeds: inputs and weights from numpy default_rng(20260512 + crc32(case id)).
"""
import json
import os
import zlib

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras import constraints as C  # noqa: E402
from keras import initializers as I  # noqa: E402
from keras import layers as L  # noqa: E402
from keras import regularizers as R  # noqa: E402

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "test-fixtures", "reference", "keras-configs"
)
SEED = 20260512


def rounded(a, digits=3):
    return np.round(a, digits).astype(np.float32)


def tensor_json(a):
    a = np.asarray(a)
    if a.dtype.kind in "fc":
        data = [float("%.7g" % v) for v in a.astype(np.float64).reshape(-1)]
        dtype = "float32"
    elif a.dtype.kind in "iub":
        data = [int(v) for v in a.reshape(-1)]
        dtype = "int32" if a.dtype.kind != "b" else "bool"
    else:
        data = [v.decode() if isinstance(v, bytes) else str(v) for v in a.reshape(-1)]
        dtype = "string"
    return {"dtype": dtype, "shape": list(a.shape), "data": data}


class Case:
    """One recorded layer: `make()` builds it, `inputs` are numpy arrays (several for merging
    and attention layers), `style` says how Keras calls it: 'single' layer(x), 'list'
    layer([a, b]), 'args' layer(a, b)."""

    def __init__(self, id, make, inputs=None, style="single", run=True, symbolic=None, tf_call=False):
        self.id = id
        # TF-backed preprocessing layers with string outputs: run `layer.call` on a tf tensor
        # (the jax backend cannot hold strings).
        self.tf_call = tf_call
        self.make = make
        self.inputs = inputs or []
        self.style = style
        self.run = run
        # Symbolic input specs (shape without batch, dtype) to build on; defaults to the inputs'.
        self.symbolic = symbolic


def randn(rng, *shape):
    return rounded(rng.normal(size=shape))


def call(layer, xs, style, **kwargs):
    if style == "single":
        return layer(xs[0], **kwargs)
    if style == "list":
        return layer(list(xs), **kwargs)
    return layer(*xs, **kwargs)


def record(case):
    # Seeded per case id, so adding a case changes no other case's values.
    rng = np.random.default_rng(SEED + zlib.crc32(case.id.encode()))
    layer = case.make()
    inputs = [x(rng) if callable(x) else x for x in case.inputs]
    if case.symbolic is not None:
        sym = [keras.Input(shape=s, dtype=d, batch_size=None) for s, d in case.symbolic]
    else:
        sym = [keras.Input(shape=x.shape[1:], dtype=str(x.dtype) if x.dtype.kind != "U" else "string") for x in inputs]
    if sym:
        call(layer, sym, case.style)
    entry = {"id": case.id, "dict": None, "style": case.style}
    weights = []
    for w in layer.weights:
        v = np.asarray(keras.ops.convert_to_numpy(w.value))
        if v.dtype.kind != "f":
            weights.append(v)
            continue
        low, high = (0.5, 1.5) if "variance" in w.path else (-0.6, 0.6)
        weights.append(rounded(rng.uniform(low, high, size=v.shape)))
    if weights:
        layer.set_weights(weights)
    entry["dict"] = keras.saving.serialize_keras_object(layer)
    if case.run and inputs:
        if case.tf_call:
            import tensorflow as tf

            out = layer.call(tf.constant(inputs[0])).numpy()
        else:
            xs = [keras.ops.convert_to_tensor(x) if x.dtype.kind != "U" else x for x in inputs]
            out = call(layer, xs, case.style, training=False)
        # Nested structures (StackedRNNCells' states) are flattened, as Cornu returns one list.
        outs = keras.tree.flatten(out)
        entry["inputs"] = [tensor_json(x) for x in inputs]
        entry["weights"] = [
            dict(path=w.path, **tensor_json(v)) for w, v in zip(layer.weights, weights)
        ]
        entry["outputs"] = [tensor_json(keras.ops.convert_to_numpy(o)) for o in outs]
    return entry


def x_of(*shape):
    return lambda rng: randn(rng, *shape)


def ints_of(high, *shape):
    return lambda rng: rng.integers(0, high, size=shape).astype(np.int32)


FAMILIES = {}


def family(name):
    def add(fn):
        FAMILIES[name] = fn
        return fn

    return add


@family("core")
def core():
    return [
        Case(
            "dense_everything",
            lambda: L.Dense(
                3,
                activation="tanh",
                kernel_initializer=I.HeNormal(seed=1),
                bias_initializer=I.Constant(0.1),
                kernel_regularizer=R.L1L2(l1=0.01, l2=0.02),
                bias_regularizer=R.L2(0.03),
                activity_regularizer=R.L1(0.001),
                kernel_constraint=C.MaxNorm(max_value=2.0, axis=0),
                bias_constraint=C.NonNeg(),
                name="dense_everything",
            ),
            [x_of(2, 4)],
        ),
        Case(
            "dense_rank3_no_bias",
            lambda: L.Dense(
                2,
                use_bias=False,
                activation="gelu",
                kernel_initializer=I.RandomUniform(minval=-0.2, maxval=0.3, seed=5),
                kernel_constraint=C.MinMaxNorm(min_value=0.5, max_value=1.5, rate=0.5, axis=1),
                name="dense_rank3_no_bias",
            ),
            [x_of(2, 3, 4)],
        ),
        Case(
            "einsum_dense_bias_d",
            lambda: L.EinsumDense(
                "abc,cd->abd",
                output_shape=(None, 5),
                bias_axes="d",
                activation="relu",
                kernel_initializer=I.RandomNormal(mean=0.1, stddev=0.2, seed=2),
                bias_initializer=I.Ones(),
                kernel_regularizer=R.L2(0.01),
                name="einsum_dense_bias_d",
            ),
            [x_of(2, 3, 4)],
        ),
        Case(
            "einsum_dense_2d",
            lambda: L.EinsumDense("ab,bc->ac", output_shape=4, name="einsum_dense_2d"),
            [x_of(2, 3)],
        ),
        Case(
            "embedding_mask_zero",
            lambda: L.Embedding(
                10,
                3,
                embeddings_initializer=I.RandomUniform(minval=-0.1, maxval=0.1, seed=3),
                embeddings_regularizer=R.L2(0.01),
                embeddings_constraint=C.UnitNorm(axis=1),
                mask_zero=True,
                name="embedding_mask_zero",
            ),
            [ints_of(10, 2, 5)],
        ),
        Case("activation_softmax", lambda: L.Activation("softmax", name="activation_softmax"), [x_of(2, 5)]),
        Case("activation_swish", lambda: L.Activation("silu", name="activation_swish"), [x_of(2, 5)]),
        Case("identity", lambda: L.Identity(name="identity"), [x_of(2, 3)]),
        Case("input_layer_batch", lambda: L.InputLayer(shape=(3, 4), batch_size=2, name="input_layer_batch")),
        Case("input_layer_int_tokens", lambda: L.InputLayer(shape=(None,), dtype="int32", name="input_layer_int_tokens")),
        Case("masking", lambda: L.Masking(mask_value=0.5, name="masking"), [lambda rng: np.array([[[0.5, 0.5], [1.0, 2.0]]], np.float32)]),
    ]


@family("activation")
def activation():
    return [
        Case("elu", lambda: L.ELU(alpha=0.5, name="elu"), [x_of(2, 4)]),
        Case("leaky_relu", lambda: L.LeakyReLU(negative_slope=0.2, name="leaky_relu"), [x_of(2, 4)]),
        Case(
            "prelu_shared",
            lambda: L.PReLU(
                alpha_initializer=I.Constant(0.25),
                alpha_regularizer=R.L2(0.01),
                alpha_constraint=C.NonNeg(),
                shared_axes=[1],
                name="prelu_shared",
            ),
            [x_of(2, 3, 4)],
        ),
        Case("relu_capped", lambda: L.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2, name="relu_capped"), [x_of(2, 6)]),
        Case("softmax_axis1", lambda: L.Softmax(axis=1, name="softmax_axis1"), [x_of(2, 3, 4)]),
    ]


def conv_common(seed):
    return dict(
        kernel_initializer=I.GlorotNormal(seed=seed),
        bias_initializer=I.RandomNormal(stddev=0.1, seed=seed + 1),
        kernel_regularizer=R.L2(0.001),
        bias_regularizer=R.L1(0.002),
        activity_regularizer=R.L1L2(l1=0.0, l2=0.001),
        kernel_constraint=C.MaxNorm(3.0),
        bias_constraint=C.NonNeg(),
    )


@family("conv")
def conv():
    return [
        Case("conv1d_same_strided", lambda: L.Conv1D(4, 3, strides=2, padding="same", activation="relu", name="conv1d_same_strided", **conv_common(10)), [x_of(2, 7, 3)]),
        Case("conv1d_causal_groups", lambda: L.Conv1D(4, 2, padding="causal", dilation_rate=2, groups=2, use_bias=False, name="conv1d_causal_groups"), [x_of(2, 6, 4)]),
        Case("conv1d_channels_first", lambda: L.Conv1D(2, 3, data_format="channels_first", name="conv1d_channels_first"), [x_of(2, 3, 6)]),
        Case("conv2d_channels_first", lambda: L.Conv2D(3, (2, 3), strides=(1, 2), data_format="channels_first", activation="sigmoid", name="conv2d_channels_first", **conv_common(20)), [x_of(2, 2, 5, 6)]),
        Case("conv2d_dilated_same", lambda: L.Conv2D(4, 3, padding="same", dilation_rate=(2, 1), name="conv2d_dilated_same"), [x_of(2, 6, 5, 2)]),
        Case("conv3d_same", lambda: L.Conv3D(2, 2, strides=(1, 2, 1), padding="same", name="conv3d_same", **conv_common(30)), [x_of(1, 3, 4, 3, 2)]),
        Case("conv1d_transpose", lambda: L.Conv1DTranspose(3, 3, strides=2, padding="same", activation="tanh", name="conv1d_transpose", **conv_common(40)), [x_of(2, 4, 2)]),
        Case("conv2d_transpose_output_padding", lambda: L.Conv2DTranspose(2, (3, 2), strides=(2, 1), output_padding=(1, 0), name="conv2d_transpose_output_padding"), [x_of(1, 3, 3, 2)]),
        Case("conv2d_transpose_channels_first", lambda: L.Conv2DTranspose(2, 2, strides=2, padding="same", data_format="channels_first", use_bias=False, name="conv2d_transpose_channels_first"), [x_of(1, 3, 2, 3)]),
        Case("conv3d_transpose", lambda: L.Conv3DTranspose(2, 2, strides=(2, 1, 1), padding="valid", name="conv3d_transpose"), [x_of(1, 2, 2, 3, 2)]),
        Case(
            "depthwise_conv1d",
            lambda: L.DepthwiseConv1D(
                3,
                depth_multiplier=2,
                padding="same",
                activation="relu",
                depthwise_initializer=I.HeUniform(seed=50),
                depthwise_regularizer=R.L2(0.01),
                depthwise_constraint=C.MaxNorm(2.0),
                bias_initializer=I.Constant(0.05),
                name="depthwise_conv1d",
            ),
            [x_of(2, 5, 3)],
        ),
        Case("depthwise_conv2d", lambda: L.DepthwiseConv2D((2, 2), strides=(2, 1), dilation_rate=1, use_bias=False, data_format="channels_first", name="depthwise_conv2d"), [x_of(1, 2, 4, 3)]),
        Case(
            "separable_conv1d",
            lambda: L.SeparableConv1D(
                4,
                3,
                depth_multiplier=2,
                padding="same",
                depthwise_initializer=I.LecunNormal(seed=60),
                pointwise_initializer=I.LecunUniform(seed=61),
                depthwise_regularizer=R.L1(0.01),
                pointwise_regularizer=R.L2(0.01),
                depthwise_constraint=C.UnitNorm(axis=0),
                pointwise_constraint=C.NonNeg(),
                name="separable_conv1d",
            ),
            [x_of(2, 5, 3)],
        ),
        Case("separable_conv2d", lambda: L.SeparableConv2D(3, (3, 2), strides=1, dilation_rate=(1, 2), activation="elu", name="separable_conv2d"), [x_of(1, 5, 5, 2)]),
    ]


@family("pooling")
def pooling():
    return [
        Case("max_pool1d_same", lambda: L.MaxPooling1D(pool_size=3, strides=2, padding="same", name="max_pool1d_same"), [x_of(2, 7, 3)]),
        Case("max_pool1d_channels_first", lambda: L.MaxPooling1D(2, data_format="channels_first", name="max_pool1d_channels_first"), [x_of(2, 3, 6)]),
        Case("avg_pool1d", lambda: L.AveragePooling1D(pool_size=2, strides=1, padding="valid", name="avg_pool1d"), [x_of(2, 5, 2)]),
        Case("max_pool2d", lambda: L.MaxPooling2D((2, 3), strides=(1, 2), name="max_pool2d"), [x_of(1, 4, 7, 2)]),
        Case("avg_pool2d_same_cf", lambda: L.AveragePooling2D(pool_size=3, strides=2, padding="same", data_format="channels_first", name="avg_pool2d_same_cf"), [x_of(1, 2, 5, 4)]),
        Case("max_pool3d", lambda: L.MaxPooling3D((2, 1, 2), padding="same", name="max_pool3d"), [x_of(1, 3, 2, 3, 2)]),
        Case("avg_pool3d", lambda: L.AveragePooling3D(2, strides=1, name="avg_pool3d"), [x_of(1, 3, 3, 3, 1)]),
        Case("gap1d_keepdims", lambda: L.GlobalAveragePooling1D(keepdims=True, name="gap1d_keepdims"), [x_of(2, 4, 3)]),
        Case("gap2d_cf", lambda: L.GlobalAveragePooling2D(data_format="channels_first", name="gap2d_cf"), [x_of(2, 3, 2, 2)]),
        Case("gap3d", lambda: L.GlobalAveragePooling3D(keepdims=True, name="gap3d"), [x_of(1, 2, 2, 2, 3)]),
        Case("gmp1d_cf", lambda: L.GlobalMaxPooling1D(data_format="channels_first", keepdims=True, name="gmp1d_cf"), [x_of(2, 3, 4)]),
        Case("gmp2d", lambda: L.GlobalMaxPooling2D(name="gmp2d"), [x_of(2, 3, 2, 2)]),
        Case("gmp3d_cf", lambda: L.GlobalMaxPooling3D(data_format="channels_first", name="gmp3d_cf"), [x_of(1, 2, 2, 3, 2)]),
    ]


@family("normalization")
def normalization():
    return [
        Case(
            "batch_norm_axis1",
            lambda: L.BatchNormalization(
                axis=1,
                momentum=0.9,
                epsilon=0.01,
                scale=False,
                beta_initializer=I.Constant(0.2),
                moving_mean_initializer=I.Constant(0.1),
                moving_variance_initializer=I.Constant(2.0),
                beta_regularizer=R.L2(0.01),
                beta_constraint=C.MaxNorm(1.0),
                name="batch_norm_axis1",
            ),
            [x_of(2, 3, 4)],
        ),
        Case(
            "batch_norm_gamma",
            lambda: L.BatchNormalization(
                center=False,
                gamma_initializer=I.RandomUniform(0.5, 1.5, seed=3),
                gamma_regularizer=R.L1(0.01),
                gamma_constraint=C.NonNeg(),
                name="batch_norm_gamma",
            ),
            [x_of(2, 5)],
        ),
        Case(
            "layer_norm_axes",
            lambda: L.LayerNormalization(
                axis=[1, 2],
                epsilon=1e-4,
                beta_initializer=I.Constant(0.3),
                gamma_initializer=I.Constant(1.5),
                beta_regularizer=R.L2(0.01),
                gamma_regularizer=R.L1(0.01),
                beta_constraint=C.MaxNorm(2.0),
                gamma_constraint=C.NonNeg(),
                name="layer_norm_axes",
            ),
            [x_of(2, 3, 4)],
        ),
        Case("layer_norm_no_center", lambda: L.LayerNormalization(center=False, epsilon=0.1, name="layer_norm_no_center"), [x_of(2, 5)]),
        Case(
            "group_norm",
            lambda: L.GroupNormalization(groups=2, epsilon=1e-4, scale=False, beta_initializer=I.Constant(0.1), beta_regularizer=R.L2(0.02), name="group_norm"),
            [x_of(2, 3, 4)],
        ),
        Case("group_norm_axis1", lambda: L.GroupNormalization(groups=3, axis=1, gamma_constraint=C.NonNeg(), name="group_norm_axis1"), [x_of(2, 6, 2)]),
        Case("unit_norm_axes", lambda: L.UnitNormalization(axis=[1, 2], name="unit_norm_axes"), [x_of(2, 3, 2)]),
        Case("rms_norm", lambda: L.RMSNormalization(axis=-1, epsilon=1e-3, name="rms_norm"), [x_of(2, 3, 4)]),
    ]


@family("regularization")
def regularization():
    return [
        Case("dropout_noise_shape", lambda: L.Dropout(0.3, noise_shape=[None, 1, 4], seed=3, name="dropout_noise_shape"), [x_of(2, 3, 4)]),
        Case("spatial_dropout1d", lambda: L.SpatialDropout1D(0.2, seed=1, name="spatial_dropout1d"), [x_of(2, 3, 4)]),
        Case("spatial_dropout2d_cf", lambda: L.SpatialDropout2D(0.25, data_format="channels_first", seed=2, name="spatial_dropout2d_cf"), [x_of(1, 2, 3, 3)]),
        Case("spatial_dropout3d", lambda: L.SpatialDropout3D(0.1, name="spatial_dropout3d"), [x_of(1, 2, 2, 2, 2)]),
        Case("gaussian_noise", lambda: L.GaussianNoise(0.3, seed=5, name="gaussian_noise"), [x_of(2, 3)]),
        Case("gaussian_dropout", lambda: L.GaussianDropout(0.2, seed=4, name="gaussian_dropout"), [x_of(2, 3)]),
        Case("alpha_dropout", lambda: L.AlphaDropout(0.1, noise_shape=[None, 3], seed=2, name="alpha_dropout"), [x_of(2, 3)]),
        Case("activity_regularization", lambda: L.ActivityRegularization(l1=0.01, l2=0.02, name="activity_regularization"), [x_of(2, 3)]),
    ]


@family("reshaping")
def reshaping():
    return [
        Case("flatten_cf", lambda: L.Flatten(data_format="channels_first", name="flatten_cf"), [x_of(2, 2, 3, 2)]),
        Case("flatten", lambda: L.Flatten(name="flatten"), [x_of(2, 3, 2)]),
        Case("reshape_minus_one", lambda: L.Reshape((2, -1), name="reshape_minus_one"), [x_of(2, 3, 4)]),
        Case("permute", lambda: L.Permute((2, 1), name="permute"), [x_of(2, 3, 4)]),
        Case("repeat_vector", lambda: L.RepeatVector(3, name="repeat_vector"), [x_of(2, 2)]),
        Case("cropping1d", lambda: L.Cropping1D((1, 2), name="cropping1d"), [x_of(2, 6, 2)]),
        Case("cropping2d_cf", lambda: L.Cropping2D(((1, 0), (0, 2)), data_format="channels_first", name="cropping2d_cf"), [x_of(1, 2, 4, 5)]),
        Case("cropping3d", lambda: L.Cropping3D(((1, 1), (0, 1), (1, 0)), name="cropping3d"), [x_of(1, 3, 3, 3, 1)]),
        Case("up_sampling1d", lambda: L.UpSampling1D(3, name="up_sampling1d"), [x_of(2, 2, 2)]),
        Case("up_sampling2d_bilinear", lambda: L.UpSampling2D((2, 3), interpolation="bilinear", name="up_sampling2d_bilinear"), [x_of(1, 2, 3, 1)]),
        Case("up_sampling2d_cf", lambda: L.UpSampling2D(2, data_format="channels_first", name="up_sampling2d_cf"), [x_of(1, 2, 2, 2)]),
        Case("up_sampling3d", lambda: L.UpSampling3D((1, 2, 1), name="up_sampling3d"), [x_of(1, 2, 2, 2, 1)]),
        Case("zero_padding1d", lambda: L.ZeroPadding1D((1, 2), name="zero_padding1d"), [x_of(2, 2, 2)]),
        Case("zero_padding2d", lambda: L.ZeroPadding2D(((1, 0), (2, 1)), name="zero_padding2d"), [x_of(1, 2, 2, 1)]),
        Case("zero_padding3d_cf", lambda: L.ZeroPadding3D(1, data_format="channels_first", name="zero_padding3d_cf"), [x_of(1, 1, 2, 1, 2)]),
    ]


@family("merging")
def merging():
    two = [x_of(2, 3, 4), x_of(2, 3, 4)]
    return [
        Case("add3", lambda: L.Add(name="add3"), [x_of(2, 4), x_of(2, 4), x_of(2, 4)], "list"),
        Case("average", lambda: L.Average(name="average"), two, "list"),
        Case("concatenate_axis1", lambda: L.Concatenate(axis=1, name="concatenate_axis1"), [x_of(2, 2, 4), x_of(2, 3, 4)], "list"),
        Case("dot_normalize", lambda: L.Dot(axes=(2, 2), normalize=True, name="dot_normalize"), two, "list"),
        Case("dot_axes1", lambda: L.Dot(axes=1, name="dot_axes1"), [x_of(2, 3), x_of(2, 3)], "list"),
        Case("maximum", lambda: L.Maximum(name="maximum"), two, "list"),
        Case("minimum", lambda: L.Minimum(name="minimum"), two, "list"),
        Case("multiply", lambda: L.Multiply(name="multiply"), two, "list"),
        Case("subtract", lambda: L.Subtract(name="subtract"), two, "list"),
    ]


@family("attention")
def attention():
    return [
        Case("attention_concat_scale", lambda: L.Attention(use_scale=True, score_mode="concat", dropout=0.1, seed=4, name="attention_concat_scale"), [x_of(2, 3, 4), x_of(2, 5, 4)], "list"),
        Case("attention_dot", lambda: L.Attention(name="attention_dot"), [x_of(2, 3, 4), x_of(2, 5, 4), x_of(2, 5, 4)], "list"),
        Case("additive_attention", lambda: L.AdditiveAttention(use_scale=False, dropout=0.2, name="additive_attention"), [x_of(2, 3, 4), x_of(2, 2, 4)], "list"),
        Case(
            "mha_everything",
            lambda: L.MultiHeadAttention(
                num_heads=2,
                key_dim=3,
                value_dim=2,
                dropout=0.1,
                use_bias=False,
                output_shape=5,
                kernel_initializer=I.TruncatedNormal(stddev=0.05, seed=7),
                kernel_regularizer=R.L2(0.001),
                kernel_constraint=C.MaxNorm(2.0),
                seed=11,
                name="mha_everything",
            ),
            [x_of(2, 3, 4), x_of(2, 4, 6)],
            "args",
        ),
        Case(
            "mha_bias",
            lambda: L.MultiHeadAttention(
                num_heads=1,
                key_dim=2,
                bias_initializer=I.Constant(0.1),
                bias_regularizer=R.L1(0.01),
                bias_constraint=C.NonNeg(),
                name="mha_bias",
            ),
            [x_of(2, 3, 4), x_of(2, 3, 4)],
            "args",
        ),
        Case(
            "gqa",
            lambda: L.GroupQueryAttention(
                head_dim=2,
                num_query_heads=4,
                num_key_value_heads=2,
                dropout=0.1,
                kernel_initializer=I.GlorotNormal(seed=9),
                bias_initializer=I.Constant(0.05),
                kernel_regularizer=R.L2(0.001),
                name="gqa",
            ),
            [x_of(2, 3, 4), x_of(2, 5, 4)],
            "args",
        ),
    ]


def rnn_common(seed):
    return dict(
        kernel_initializer=I.GlorotNormal(seed=seed),
        recurrent_initializer=I.Orthogonal(gain=0.5, seed=seed + 1),
        bias_initializer=I.Constant(0.1),
        kernel_regularizer=R.L2(0.001),
        recurrent_regularizer=R.L1(0.001),
        bias_regularizer=R.L2(0.002),
        activity_regularizer=R.L1(0.0005),
        kernel_constraint=C.MaxNorm(3.0),
        recurrent_constraint=C.UnitNorm(axis=0),
        bias_constraint=C.NonNeg(),
    )


@family("rnn")
def rnn():
    return [
        Case("simple_rnn_everything", lambda: L.SimpleRNN(3, activation="relu", dropout=0.1, recurrent_dropout=0.2, return_sequences=True, go_backwards=True, seed=5, name="simple_rnn_everything", **rnn_common(1)), [x_of(2, 4, 3)]),
        Case("lstm_state", lambda: L.LSTM(4, recurrent_activation="hard_sigmoid", unit_forget_bias=False, return_state=True, dropout=0.1, seed=2, name="lstm_state", **rnn_common(3)), [x_of(2, 3, 2)]),
        Case("lstm_unroll", lambda: L.LSTM(2, activation="relu", return_sequences=True, unroll=True, use_cudnn=False, name="lstm_unroll"), [x_of(2, 3, 2)]),
        Case("gru_reset_before", lambda: L.GRU(3, reset_after=False, return_sequences=True, go_backwards=True, name="gru_reset_before", **rnn_common(5)), [x_of(2, 3, 2)]),
        Case("gru_state", lambda: L.GRU(2, return_state=True, recurrent_dropout=0.1, seed=3, name="gru_state"), [x_of(2, 3, 2)]),
        Case("conv_lstm1d", lambda: L.ConvLSTM1D(2, 3, padding="same", return_sequences=True, dropout=0.1, seed=1, name="conv_lstm1d", **rnn_common(7)), [x_of(1, 3, 4, 2)]),
        Case("conv_lstm2d_cf", lambda: L.ConvLSTM2D(2, (2, 2), data_format="channels_first", unit_forget_bias=False, return_state=True, name="conv_lstm2d_cf"), [x_of(1, 2, 2, 3, 3)]),
        Case("conv_lstm3d", lambda: L.ConvLSTM3D(1, 2, strides=1, padding="valid", go_backwards=True, name="conv_lstm3d"), [x_of(1, 2, 2, 3, 2, 1)]),
        Case("bidirectional_sum", lambda: L.Bidirectional(L.LSTM(3, return_sequences=True, name="fwd_lstm"), merge_mode="sum", name="bidirectional_sum"), [x_of(2, 3, 2)]),
        Case(
            "bidirectional_backward_layer",
            lambda: L.Bidirectional(
                L.GRU(2, name="fwd_gru"),
                backward_layer=L.GRU(2, go_backwards=True, reset_after=False, name="bwd_gru"),
                merge_mode="mul",
                name="bidirectional_backward_layer",
            ),
            [x_of(2, 3, 2)],
        ),
        Case("time_distributed_dense", lambda: L.TimeDistributed(L.Dense(2, activation="relu", name="td_dense"), name="time_distributed_dense"), [x_of(2, 3, 4)]),
        Case("rnn_lstm_cell", lambda: L.RNN(L.LSTMCell(3, dropout=0.1, name="lstm_cell"), return_sequences=True, go_backwards=True, name="rnn_lstm_cell"), [x_of(2, 3, 2)]),
        Case(
            "rnn_stacked_cells",
            lambda: L.RNN(
                L.StackedRNNCells([L.SimpleRNNCell(3, name="cell_a"), L.GRUCell(2, reset_after=False, name="cell_b")], name="stack"),
                return_state=True,
                name="rnn_stacked_cells",
            ),
            [x_of(2, 3, 2)],
        ),
    ]


@family("preprocessing")
def preprocessing():
    strings = lambda rng: np.array([["b", "zz", "a"], ["c", "a", ""]])  # noqa: E731
    return [
        Case("rescaling", lambda: L.Rescaling(scale=1 / 127.5, offset=-1.0, name="rescaling"), [lambda rng: rng.integers(0, 255, size=(2, 3)).astype(np.float32)]),
        Case("normalization_invert", lambda: L.Normalization(axis=-1, mean=[1.0, 2.0, 3.0], variance=[4.0, 0.25, 1.0], invert=True, name="normalization_invert"), [x_of(2, 3)]),
        Case("normalization_axis1", lambda: L.Normalization(axis=1, mean=[0.5, -0.5], variance=[2.0, 3.0], name="normalization_axis1"), [x_of(2, 2, 3)]),
        Case("discretization_one_hot", lambda: L.Discretization(bin_boundaries=[-0.5, 0.0, 0.5], output_mode="one_hot", name="discretization_one_hot"), [x_of(4)]),
        Case("discretization_int", lambda: L.Discretization(bin_boundaries=[0.0, 1.0], name="discretization_int"), [x_of(2, 3)]),
        Case("category_encoding_multi_hot", lambda: L.CategoryEncoding(num_tokens=5, output_mode="multi_hot", name="category_encoding_multi_hot"), [ints_of(5, 2, 3)]),
        Case("category_encoding_count", lambda: L.CategoryEncoding(num_tokens=4, output_mode="count", name="category_encoding_count"), [ints_of(4, 2, 3)]),
        Case("hashing_salt", lambda: L.Hashing(num_bins=4, salt=[1, 2], name="hashing_salt"), [strings]),
        Case("hashing_mask", lambda: L.Hashing(num_bins=5, mask_value="", name="hashing_mask"), [strings]),
        Case("string_lookup", lambda: L.StringLookup(vocabulary=["a", "b", "c"], num_oov_indices=2, mask_token="", name="string_lookup"), [strings]),
        Case("string_lookup_invert", lambda: L.StringLookup(vocabulary=["a", "b"], invert=True, oov_token="?", name="string_lookup_invert"), [lambda rng: np.array([[1, 2, 0]], np.int64)], tf_call=True),
        Case("string_lookup_multi_hot", lambda: L.StringLookup(vocabulary=["a", "b", "c"], output_mode="multi_hot", name="string_lookup_multi_hot"), [strings]),
        Case("integer_lookup", lambda: L.IntegerLookup(vocabulary=[3, 5, 7], mask_token=0, oov_token=-7, name="integer_lookup"), [lambda rng: np.array([[3, 7, 9], [0, 5, 5]], np.int64)]),
        Case("string_lookup_salted_oov", lambda: L.StringLookup(vocabulary=["a"], num_oov_indices=3, salt=[5, 9], name="string_lookup_salted_oov"), [lambda rng: np.array([["a", "q", "r", "s", "tt", "uvw"]])]),
        Case("integer_lookup_floormod_oov", lambda: L.IntegerLookup(vocabulary=[1, 2], num_oov_indices=3, name="integer_lookup_floormod_oov"), [lambda rng: np.array([[1, 2, 4, 9, 10, 33]], np.int64)]),
        Case("integer_lookup_farmhash_oov", lambda: L.IntegerLookup(vocabulary=[1, 2], num_oov_indices=3, oov_method="farmhash", name="integer_lookup_farmhash_oov"), [lambda rng: np.array([[1, 2, 4, 9, 10, 33]], np.int64)]),
        Case("integer_lookup_salted_oov", lambda: L.IntegerLookup(vocabulary=[1, 2], num_oov_indices=4, oov_method="farmhash", salt=7, name="integer_lookup_salted_oov"), [lambda rng: np.array([[1, 2, 4, 9, 10, 33]], np.int64)]),
        Case("integer_lookup_one_hot", lambda: L.IntegerLookup(vocabulary=[10, 20], output_mode="one_hot", num_oov_indices=1, name="integer_lookup_one_hot"), [lambda rng: np.array([10, 30, 20], np.int64)]),
        Case(
            "text_vectorization",
            lambda: L.TextVectorization(max_tokens=10, output_sequence_length=4, vocabulary=["the", "cat", "sat"], name="text_vectorization"),
            [lambda rng: np.array(["The cat sat!", "a dog"])],
        ),
        Case(
            "text_vectorization_multi_hot",
            lambda: L.TextVectorization(standardize="lower", split="whitespace", output_mode="multi_hot", vocabulary=["x", "y", "z"], name="text_vectorization_multi_hot"),
            [lambda rng: np.array(["x Y q", "z z"])],
        ),
    ]


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, fn in FAMILIES.items():
        entries = []
        for case in fn():
            try:
                entries.append(record(case))
            except ImportError as error:
                print("skipped", case.id, error)
        doc = {
            "description": f"{name} layers: serialize_keras_object(layer) after building, with inputs, weights and inference outputs",
            "keras_version": keras.__version__,
            "backend": keras.backend.backend(),
            "script": "packages/core/scripts/reference/keras_layer_configs.py",
            "cases": entries,
        }
        path = os.path.join(OUT, f"{name}.json")
        with open(path, "w") as f:
            json.dump(doc, f, separators=(",", ":"))
            f.write("\n")
        print("wrote", path, len(entries), "cases", os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
