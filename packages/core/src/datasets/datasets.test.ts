import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { type LocalServer, startLocalServer } from '../utils/local-http-server.test-helper.js';
import * as cifar10 from './cifar10.js';
import * as fashionMnist from './fashion-mnist.js';
import * as imdb from './imdb.js';
import * as mnist from './mnist.js';
import * as reuters from './reuters.js';

// Small files in Keras's exact formats, built by test-fixtures/datasets/make_fixtures.py with
// numpy; expected.json holds what Keras's own load_data logic returns for them.
const FIXTURES = new URL('../../test-fixtures/datasets/', import.meta.url);
const read = (name: string) => new Uint8Array(readFileSync(new URL(name, FIXTURES)));
interface Split {
  x_train: number[][];
  y_train: number[];
  x_test: number[][];
  y_test: number[];
}
const expected = JSON.parse(readFileSync(new URL('expected.json', FIXTURES), 'utf8')) as {
  sha256: Record<string, string>;
  mnist: {
    train_labels: number[];
    test_labels: number[];
    train0_sum: number;
    test_last_sum: number;
  };
  imdb_default: Split;
  imdb_filtered: Split;
  reuters_default: Split;
  reuters_filtered: Split;
  cifar10: Record<string, { labels: number[]; px_0_1_2: number[]; sum: number }>;
};
const FASHION = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];
const hashes: Record<string, string> = {};
for (const [name, hash] of Object.entries(expected.sha256))
  hashes[name.replace('fashion-mnist/', '')] = hash;

let server: LocalServer;
let cacheDir: string;
let args: { mirror: string; cacheDir: string; fileHashes: Record<string, string> };
beforeAll(async () => {
  await ready();
  const files = new Map<string, Uint8Array>();
  for (const name of ['mnist.npz', 'imdb.npz', 'reuters.npz', 'cifar-10-python.tar.gz'])
    files.set(`/${name}`, read(name));
  for (const name of FASHION) files.set(`/${name}`, read(`fashion-mnist/${name}`));
  server = await startLocalServer(files);
  cacheDir = mkdtempSync(join(tmpdir(), 'cornu-datasets-'));
  args = { mirror: server.url, cacheDir, fileHashes: hashes };
});
afterAll(async () => {
  await server.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

const sum = (t: tf.Tensor) => tf.tidy(() => tf.sum(t).dataSync()[0]!);

describe('datasets.mnist', () => {
  it('loads mnist.npz (real digits) as float32 images and int32 labels', async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await mnist.loadData(args);
    expect(xTrain.shape).toEqual([50, 28, 28]);
    expect(xTest.shape).toEqual([40, 28, 28]);
    expect(xTrain.dtype).toBe('float32');
    expect(yTrain.dtype).toBe('int32');
    expect(Array.from(yTrain.dataSync())).toEqual(expected.mnist.train_labels);
    expect(Array.from(yTest.dataSync())).toEqual(expected.mnist.test_labels);
    const first = tf.slice(xTrain, [0, 0, 0], [1, 28, 28]);
    const last = tf.slice(xTest, [39, 0, 0], [1, 28, 28]);
    expect(sum(first)).toBe(expected.mnist.train0_sum);
    expect(sum(last)).toBe(expected.mnist.test_last_sum);
    tf.dispose([xTrain, yTrain, xTest, yTest, first, last]);
  });

  it('refuses a download whose sha256 is not the published one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cornu-datasets-hash-'));
    try {
      await expect(mnist.loadData({ mirror: server.url, cacheDir: dir })).rejects.toThrow(
        /expected 731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('datasets.fashionMnist', () => {
  it('loads the four gzipped IDX files into <cache>/datasets/fashion-mnist', async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await fashionMnist.loadData(args);
    expect(xTrain.shape).toEqual([30, 28, 28]);
    expect(xTest.shape).toEqual([20, 28, 28]);
    // The fixture reuses MNIST digits 0..29 (all zeros) and 900..919 (all nines).
    expect(Array.from(yTrain.dataSync())).toEqual(new Array(30).fill(0));
    expect(Array.from(yTest.dataSync())).toEqual(new Array(20).fill(9));
    expect(
      readFileSync(join(cacheDir, 'datasets', 'fashion-mnist', FASHION[0]!)).length,
    ).toBeGreaterThan(0);
    expect(fashionMnist.CLASS_NAMES[9]).toBe('Ankle boot');
    tf.dispose([xTrain, yTrain, xTest, yTest]);
  });
});

describe('datasets.cifar10', () => {
  it('untars cifar-10-python.tar.gz, unpickles the batches and returns channels-last images', async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await cifar10.loadData(args);
    expect(xTrain.shape).toEqual([20, 32, 32, 3]);
    expect(yTrain.shape).toEqual([20, 1]);
    expect(xTest.shape).toEqual([4, 32, 32, 3]);
    const batches = [1, 2, 3, 4, 5].map((i) => expected.cifar10[`data_batch_${i}`]!);
    expect(Array.from(yTrain.dataSync())).toEqual(batches.flatMap((b) => b.labels));
    expect(Array.from(yTest.dataSync())).toEqual(expected.cifar10.test_batch!.labels);
    const px = tf.slice(xTrain, [0, 1, 2, 0], [1, 1, 1, 3]);
    expect(Array.from(px.dataSync())).toEqual(batches[0]!.px_0_1_2);
    const firstBatch = tf.slice(xTrain, [0, 0, 0, 0], [4, 32, 32, 3]);
    expect(sum(firstBatch)).toBe(batches[0]!.sum);
    expect(sum(xTest)).toBe(expected.cifar10.test_batch!.sum);
    tf.dispose([xTrain, yTrain, xTest, yTest, px, firstBatch]);
  });
});

const plain = ([[xTrain, yTrain], [xTest, yTest]]: [
  [number[][], Int32Array],
  [number[][], Int32Array],
]) => ({
  x_train: xTrain,
  y_train: Array.from(yTrain),
  x_test: xTest,
  y_test: Array.from(yTest),
});

describe('datasets.imdb', () => {
  it('equals Keras imdb.load_data (numpy RandomState shuffle, marks, OOV) with defaults', async () => {
    expect(plain(await imdb.loadData(args))).toEqual(expected.imdb_default);
  });

  it('equals Keras with numWords, skipTop, maxlen and another seed', async () => {
    const out = plain(
      await imdb.loadData({ ...args, numWords: 100, skipTop: 5, maxlen: 20, seed: 1 }),
    );
    expect(out).toEqual(expected.imdb_filtered);
  });

  it('fails clearly when maxlen keeps nothing', async () => {
    await expect(imdb.loadData({ ...args, maxlen: 1 })).rejects.toThrow(
      /no sequence is shorter than maxlen=1/,
    );
  });
});

describe('datasets.reuters', () => {
  it('equals Keras reuters.load_data with defaults and with filters', async () => {
    expect(plain(await reuters.loadData(args))).toEqual(expected.reuters_default);
    const out = plain(
      await reuters.loadData({ ...args, numWords: 200, maxlen: 30, testSplit: 0.3, seed: 5 }),
    );
    expect(out).toEqual(expected.reuters_filtered);
    expect(reuters.getLabelNames()).toHaveLength(46);
  });
});
