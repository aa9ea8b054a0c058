"""Builds the small dataset fixtures for @cornu/core's datasets/ and utils/ tests.

Run: /usr/bin/python3 make_fixtures.py (numpy 1.24, Python 3.11, Debian bookworm).
Files are written in the exact formats Keras downloads (mnist.npz, imdb.npz, reuters.npz,
fashion-mnist idx .gz, cifar-10-python.tar.gz) but hold few samples. expected.json holds what
Keras's load_data logic (re-stated below with numpy) returns for them: the tests compare to it.
"""
import gzip, io, json, os, pickle, tarfile
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MNIST = "/work/shared/fixtures/mnist"
expected = {}

def idx(path, offset):
    with open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)

images = idx(f"{MNIST}/cazala_mnist_1000-images-idx3-ubyte", 16).reshape(1000, 28, 28)
labels = idx(f"{MNIST}/cazala_mnist_1000-labels-idx1-ubyte", 8)
# mnist.npz: 60 train (every 20th of the first 600 digits ...), 40 test, like Keras's layout.
tr = np.arange(0, 1000, 17)[:50]
te = np.arange(5, 1000, 25)[:40]
np.savez_compressed(os.path.join(HERE, "mnist.npz"), x_train=images[tr], y_train=labels[tr], x_test=images[te], y_test=labels[te])
expected["mnist"] = {"train_labels": labels[tr].tolist(), "test_labels": labels[te].tolist(),
                     "train0_sum": int(images[tr][0].astype(np.int64).sum()), "test_last_sum": int(images[te][-1].astype(np.int64).sum())}

# fashion-mnist: gzip'd IDX files (we reuse the real MNIST digits, the format is what matters).
fm = os.path.join(HERE, "fashion-mnist"); os.makedirs(fm, exist_ok=True)
def write_idx(path, arr, magic):
    header = magic.to_bytes(4, "big") + b"".join(int(d).to_bytes(4, "big") for d in arr.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + arr.astype(np.uint8).tobytes())
write_idx(f"{fm}/train-images-idx3-ubyte.gz", images[:30], 0x803)
write_idx(f"{fm}/train-labels-idx1-ubyte.gz", labels[:30], 0x801)
write_idx(f"{fm}/t10k-images-idx3-ubyte.gz", images[900:920], 0x803)
write_idx(f"{fm}/t10k-labels-idx1-ubyte.gz", labels[900:920], 0x801)

# imdb.npz / reuters.npz: ragged object arrays of word-index lists, pickled by np.savez.
rs = np.random.RandomState(7)
def ragged(n, vocab, lo, hi):
    out = np.empty(n, dtype=object)
    for i in range(n):
        out[i] = [int(v) for v in rs.randint(1, vocab, size=rs.randint(lo, hi))]
    return out
imdb = {"x_train": ragged(40, 300, 3, 30), "y_train": rs.randint(0, 2, size=40).astype(np.int64),
        "x_test": ragged(30, 300, 3, 30), "y_test": rs.randint(0, 2, size=30).astype(np.int64)}
np.savez(os.path.join(HERE, "imdb.npz"), **imdb)
reuters = {"x": ragged(50, 500, 2, 40), "y": rs.randint(0, 46, size=50).astype(np.int64)}
np.savez(os.path.join(HERE, "reuters.npz"), **reuters)

def remove_long_seq(maxlen, seq, label):
    new_seq, new_label = [], []
    for x, y in zip(seq, label):
        if len(x) < maxlen:
            new_seq.append(x); new_label.append(y)
    return new_seq, new_label

def keras_imdb(num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2, index_from=3):
    x_train, labels_train, x_test, labels_test = imdb["x_train"], imdb["y_train"], imdb["x_test"], imdb["y_test"]
    rng = np.random.RandomState(seed)
    i = np.arange(len(x_train)); rng.shuffle(i); x_train, labels_train = x_train[i], labels_train[i]
    i = np.arange(len(x_test)); rng.shuffle(i); x_test, labels_test = x_test[i], labels_test[i]
    x_train = [[start_char] + [w + index_from for w in x] for x in x_train]
    x_test = [[start_char] + [w + index_from for w in x] for x in x_test]
    if maxlen:
        x_train, labels_train = remove_long_seq(maxlen, x_train, labels_train)
        x_test, labels_test = remove_long_seq(maxlen, x_test, labels_test)
    xs = x_train + x_test
    labels = np.concatenate([labels_train, labels_test])
    if not num_words:
        num_words = max(max(x) for x in xs)
    xs = [[w if (skip_top <= w < num_words) else oov_char for w in x] for x in xs]
    idx = len(x_train)
    return {"x_train": xs[:idx], "y_train": labels[:idx].tolist(), "x_test": xs[idx:], "y_test": labels[idx:].tolist()}

def keras_reuters(num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113, start_char=1, oov_char=2, index_from=3):
    xs, labels = reuters["x"], reuters["y"]
    rng = np.random.RandomState(seed)
    i = np.arange(len(xs)); rng.shuffle(i); xs, labels = xs[i], labels[i]
    xs = [[start_char] + [w + index_from for w in x] for x in xs]
    if maxlen:
        xs, labels = remove_long_seq(maxlen, xs, labels)
    if not num_words:
        num_words = max(max(x) for x in xs)
    xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    idx = int(len(xs) * (1 - test_split))
    return {"x_train": xs[:idx], "y_train": list(map(int, labels[:idx])), "x_test": xs[idx:], "y_test": list(map(int, labels[idx:]))}

expected["imdb_default"] = keras_imdb()
expected["imdb_filtered"] = keras_imdb(num_words=100, skip_top=5, maxlen=20, seed=1)
expected["reuters_default"] = keras_reuters()
expected["reuters_filtered"] = keras_reuters(num_words=200, maxlen=30, test_split=0.3, seed=5)

# cifar-10-python.tar.gz: cifar-10-batches-py/{data_batch_1..5,test_batch}, pickled dicts with
# bytes keys, as the real archive (protocol 2; the real one comes from Python 2 cPickle).
buf = io.BytesIO()
crs = np.random.RandomState(3)
cifar_expected = {}
with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.USTAR_FORMAT) as tar:
    info = tarfile.TarInfo("cifar-10-batches-py"); info.type = tarfile.DIRTYPE; info.mode = 0o755
    tar.addfile(info)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        data = crs.randint(0, 256, size=(4, 3072)).astype(np.uint8)
        lab = [int(v) for v in crs.randint(0, 10, size=4)]
        blob = pickle.dumps({b"batch_label": name.encode(), b"labels": lab, b"data": data, b"filenames": [b"a.png"] * 4}, protocol=2)
        info = tarfile.TarInfo(f"cifar-10-batches-py/{name}"); info.size = len(blob); info.mode = 0o644
        tar.addfile(info, io.BytesIO(blob))
        # channels-last pixel [0, 1, 2, c] of sample 0 and the labels.
        hwc = data.reshape(4, 3, 32, 32).transpose(0, 2, 3, 1)
        cifar_expected[name] = {"labels": lab, "px_0_1_2": hwc[0, 1, 2].tolist(), "sum": int(data.astype(np.int64).sum())}
with open(os.path.join(HERE, "cifar-10-python.tar.gz"), "wb") as f:
    f.write(buf.getvalue())
expected["cifar10"] = cifar_expected

# A .npy zoo for the npy parser: dtypes and byte orders.
zoo = {"f4": np.arange(6, dtype="<f4").reshape(2, 3) / 4, "f8be": np.array([1.5, -2.25], dtype=">f8"),
       "i8": np.array([[-3, 4]], dtype="<i8"), "u2": np.array([65535, 7], dtype="<u2"), "b1": np.array([True, False, True]),
       "scalar": np.array(3.5, dtype="<f4")}
np.savez(os.path.join(HERE, "zoo.npz"), **zoo)
expected["zoo"] = {k: {"shape": list(v.shape), "values": v.astype(np.float64).ravel().tolist()} for k, v in zoo.items()}

for name in ["mnist.npz", "imdb.npz", "reuters.npz", "cifar-10-python.tar.gz", "fashion-mnist/train-images-idx3-ubyte.gz",
             "fashion-mnist/train-labels-idx1-ubyte.gz", "fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-labels-idx1-ubyte.gz"]:
    import hashlib
    expected.setdefault("sha256", {})[name] = hashlib.sha256(open(os.path.join(HERE, name), "rb").read()).hexdigest()
with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(expected, f)
