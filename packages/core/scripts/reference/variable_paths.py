"""Writes test-fixtures/reference/core/variable-paths.json: Keras 3's `variable.path` for the weights
of models and layers built in the ways that open name scopes differently (a Sequential built lazily,
with an Input, or by a call; sublayers built inside a parent's build or call; wrappers; a
subclassed model; a Functional model; the optimizer's slots). Every layer is named explicitly so
that the paths do not depend on Keras's global name counters.

    KERAS_BACKEND=jax python packages/core/scripts/reference/variable_paths.py

Generated with Keras 3.15.1 (jax backend).
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras import layers as L  # noqa: E402
from keras import ops  # noqa: E402

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "test-fixtures", "reference", "core", "variable-paths.json"
)


def paths(weights):
    return [w.path for w in weights]


cases = {}

m = keras.Sequential([L.Dense(3, name="d1"), L.Dense(2, name="d2")], name="seq_lazy")
m.build((None, 4))
cases["sequential built by build()"] = paths(m.weights)

m = keras.Sequential([keras.Input((4,)), L.Dense(3, name="d1")], name="seq_input")
cases["sequential with an Input"] = paths(m.weights)
adam = keras.optimizers.Adam(name="adam")
adam.build(m.trainable_variables)
cases["adam slots of the sequential with an Input"] = paths(adam.variables)

m = keras.Sequential([L.Dense(3, name="d1")], name="seq_called")
m(ops.ones((1, 4)))
cases["sequential built by a call"] = paths(m.weights)

x = keras.Input((3, 8))
mha = L.MultiHeadAttention(2, 4, name="mha")
y = mha(x, x)
cases["multi-head attention"] = paths(mha.weights)

inp = keras.Input((4,))
h = L.Dense(3, name="fd1")(inp)
out = L.Dense(2, name="fd2")(h)
f = keras.Model(inp, out, name="functional")
cases["functional model"] = paths(f.weights)


class Block(L.Layer):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.inner = L.Dense(2, name="inner")

    def call(self, x):
        return self.inner(x)


b = Block(name="blk")
b(ops.ones((1, 3)))
cases["layer building a sublayer in its call"] = paths(b.weights)


class Net(keras.Model):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.hidden = L.Dense(4, name="hidden")
        self.head = L.Dense(1, name="head")

    def call(self, x):
        return self.head(self.hidden(x))


n = Net(name="net")
n(ops.ones((1, 3)))
cases["subclassed model"] = paths(n.weights)

lstm = L.LSTM(2, name="lstm")
lstm(ops.ones((1, 2, 3)))
cases["lstm"] = paths(lstm.weights)

bi = L.Bidirectional(L.GRU(2, name="gru"), name="bi")
bi(ops.ones((1, 2, 3)))
cases["bidirectional gru"] = paths(bi.weights)

td = L.TimeDistributed(L.Dense(2, name="inner"), name="td")
td(ops.ones((1, 2, 3)))
cases["time distributed"] = paths(td.weights)

with open(OUT, "w") as fh:
    json.dump({"keras_version": keras.__version__, "cases": cases}, fh, indent=1)
    fh.write("\n")
print(json.dumps(cases, indent=1))
