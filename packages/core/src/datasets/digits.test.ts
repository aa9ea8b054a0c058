/**
 * datasets.digits against scikit-learn's published facts about load_digits: 1797 samples of 64
 * integer pixels in 0..16, the UCI test-set class counts, and its first sample (digits.images[0],
 * a zero).
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { loadData } from './digits.js';

beforeAll(async () => {
  await ready();
});

/** Samples per class 0..9 in UCI optdigits.tes (= sklearn load_digits). */
const CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180];
/** sklearn `load_digits().data[0]` (label 0). */
const FIRST = [
  0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8,
  8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13,
  10, 0, 0, 0,
];

const rowsOf = (x: tf.Tensor): number[][] =>
  tf.tidy(() => tf.reshape(x, [-1, 64]).arraySync() as number[][]);

describe('datasets.digits.loadData', () => {
  it('returns all 1797 samples: [n, 8, 8] float32 pixels 0..16 and int32 labels with the published class counts', async () => {
    const before = tf.memory().numTensors;
    const [[xTrain, yTrain], [xTest, yTest]] = await loadData();
    expect(xTrain.shape).toEqual([1438, 8, 8]);
    expect(xTest.shape).toEqual([359, 8, 8]); // round(1797 * 0.2)
    expect(yTrain.shape).toEqual([1438]);
    expect(yTest.shape).toEqual([359]);
    expect([xTrain.dtype, yTrain.dtype]).toEqual(['float32', 'int32']);
    const labels = [...yTrain.dataSync(), ...yTest.dataSync()];
    const counts = new Array(10).fill(0);
    for (const l of labels) counts[l]++;
    expect(counts).toEqual(CLASS_COUNTS);
    const pixels = [...xTrain.dataSync(), ...xTest.dataSync()];
    expect(pixels.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
    expect(Math.max(...pixels)).toBe(16);
    // sklearn's first sample is in there, once, labelled 0.
    const rows = [...rowsOf(xTrain), ...rowsOf(xTest)];
    const at = rows.flatMap((r, i) => (r.every((v, k) => v === FIRST[k]) ? [i] : []));
    expect(at).toHaveLength(1);
    expect(labels[at[0]!]).toBe(0);
    // Every class is in both splits (the split follows a shuffle).
    expect(new Set(yTest.dataSync()).size).toBe(10);
    tf.dispose([xTrain, yTrain, xTest, yTest]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a seed; another seed or testSplit changes the split, not the data', async () => {
    const [[a], [aTest]] = await loadData();
    const [[b]] = await loadData();
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    const [[c, cy], [cTest, cyTest]] = await loadData({ seed: 7, testSplit: 0.5 });
    expect([c.shape[0], cTest.shape[0]]).toEqual([898, 899]);
    expect(Array.from(c.dataSync().slice(0, 64))).not.toEqual(
      Array.from(a.dataSync().slice(0, 64)),
    );
    const counts = new Array(10).fill(0);
    for (const l of [...cy.dataSync(), ...cyTest.dataSync()]) counts[l]++;
    expect(counts).toEqual(CLASS_COUNTS);
    const sum = (...ts: tf.Tensor[]) =>
      ts.reduce((s, t) => s + tf.tidy(() => tf.sum(t).dataSync()[0]!), 0);
    expect(sum(c, cTest)).toBe(sum(a, aTest));
    tf.dispose([a, aTest, b, c, cy, cTest, cyTest]);
  });

  it('rejects a testSplit outside (0, 1), naming it', async () => {
    await expect(loadData({ testSplit: 1 })).rejects.toThrow(
      /digits\.loadData: testSplit must be in \(0, 1\)\. Received: testSplit=1\./,
    );
    await expect(loadData({ testSplit: 0 })).rejects.toThrow(/Received: testSplit=0\./);
  });
});
