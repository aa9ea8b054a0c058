import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { MixUp } from './mix-up.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('MixUp', () => {
  it('passes the layer harness', () => {
    runLayerTest(MixUp, {
      initArgs: { seed: 1 },
      inputShape: [4, 6, 6, 3],
      expectedOutputShape: [4, 6, 6, 3],
    });
  });

  it('blends each image with a partner and its one-hot label by the same weight', () => {
    // image i is constant 10 * i, label one-hot i
    const n = 8;
    const images = tf.tidy(() =>
      tf.mul(tf.reshape(tf.range(0, n, 1, 'float32'), [n, 1, 1, 1]), tf.fill([n, 4, 4, 3], 10)),
    );
    const labels = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    const out = new MixUp({ alpha: 0.4, seed: 5 }).apply({ images, labels }, { training: true });
    const y = out.labels?.arraySync() as number[][];
    const pixel = (out.images.arraySync() as number[][][][]).map(
      (image) => image[0]?.[0]?.[0] as number,
    );
    y.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      // the image value is the label-weighted mean of the constants
      expect(pixel[i]).toBeCloseTo(
        row.reduce((s, w, k) => s + w * 10 * k, 0),
        3,
      );
    });
    tf.dispose([images, labels, out.images, out.labels as tf.Tensor]);
  });

  it('draws weights from Beta(alpha, alpha): mean 0.5, spread shrinking with alpha', () => {
    const n = 400;
    const images = tf.tidy(() =>
      tf.mul(tf.reshape(tf.range(0, n, 1, 'float32'), [n, 1, 1, 1]), tf.ones([n, 1, 1, 1])),
    );
    const labels = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    const weightsFor = (alpha: number) => {
      const out = new MixUp({ alpha, seed: 9 }).apply({ images, labels }, { training: true });
      const rows = out.labels?.arraySync() as number[][];
      tf.dispose([out.images, out.labels as tf.Tensor]);
      return rows
        .map((row, i) => row[i] as number)
        .filter((_, i) => (rows[i]?.filter((v) => v > 0).length ?? 0) === 2);
    };
    const wide = weightsFor(0.2);
    const narrow = weightsFor(20);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
    expect(Math.abs(mean(wide) - 0.5)).toBeLessThan(0.07);
    expect(Math.abs(mean(narrow) - 0.5)).toBeLessThan(0.03);
    // Beta(a, a) sd = 1 / (2 sqrt(2a + 1)): 0.42 for a = 0.2, 0.078 for a = 20
    expect(sd(wide)).toBeGreaterThan(0.35);
    expect(sd(narrow)).toBeLessThan(0.1);
    tf.dispose([images, labels]);
  });

  it('keeps both images boxes; inference is the identity', () => {
    const images = tf.ones([2, 4, 4, 3]);
    const boxes = tf.tensor3d([[[0, 0, 1, 1]], [[1, 1, 2, 2]]]);
    const labels = tf.tensor2d([[0], [1]], [2, 1], 'int32');
    const out = new MixUp({ seed: 1 }).apply({ images, boxes, labels }, { training: true });
    expect(out.boxes?.shape).toEqual([2, 2, 4]);
    expect(((out.labels as tf.Tensor).arraySync() as number[][]).map((r) => [...r].sort())).toEqual(
      [
        [0, 1],
        [0, 1],
      ],
    );
    const same = new MixUp({ seed: 1 }).apply({ images, labels }, {});
    expect(values(same.labels as tf.Tensor)).toEqual([0, 1]);
    tf.dispose([
      images,
      boxes,
      labels,
      out.images,
      out.boxes as tf.Tensor,
      out.labels as tf.Tensor,
      same.images,
    ]);
  });

  it('blends one-hot segmentation masks with the same weight and partner as the images', () => {
    // image i is constant 10 * i; its mask is one-hot class i on the left half, class n on the right
    const n = 6;
    const images = tf.tidy(() =>
      tf.mul(tf.reshape(tf.range(0, n, 1, 'float32'), [n, 1, 1, 1]), tf.fill([n, 3, 4, 1], 10)),
    );
    const masks = tf.tidy(() => {
      const left = tf.tile(
        tf.reshape(tf.oneHot(tf.range(0, n, 1, 'int32'), n + 1), [n, 1, 1, n + 1]),
        [1, 3, 2, 1],
      );
      const right = tf.tile(
        tf.reshape(tf.oneHot(tf.fill([n], n, 'int32'), n + 1), [n, 1, 1, n + 1]),
        [1, 3, 2, 1],
      );
      return tf.cast(tf.concat([left, right], 2), 'float32');
    });
    const labels = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    const before = tf.memory().numTensors;
    const out = new MixUp({ alpha: 0.5, seed: 11 }).apply(
      { images, labels, segmentationMasks: masks },
      { training: true },
    );
    const m = out.segmentationMasks as tf.Tensor;
    expect(m.shape).toEqual([n, 3, 4, n + 1]);
    expect(m.dtype).toBe('float32');
    const y = out.labels?.arraySync() as number[][];
    const pixels = out.images.arraySync() as number[][][][];
    const mv = m.arraySync() as number[][][][];
    let mixed = 0;
    for (let i = 0; i < n; i++) {
      const row = y[i] as number[];
      if (row.filter((v) => v > 1e-6).length === 2) mixed++;
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 4; c++) {
          const p = mv[i]?.[r]?.[c] as number[];
          expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
          // left half: the class probabilities are the label weights; right half: class n throughout
          for (let k = 0; k < n; k++) expect(p[k]).toBeCloseTo(c < 2 ? (row[k] as number) : 0, 5);
          expect(p[n]).toBeCloseTo(c < 2 ? 0 : 1, 5);
          // and the image is blended by those same weights
          expect(pixels[i]?.[r]?.[c]?.[0]).toBeCloseTo(
            row.reduce((s, w, k) => s + w * 10 * k, 0),
            3,
          );
        }
    }
    expect(mixed).toBeGreaterThanOrEqual(4); // a permutation of 6 with weights in (0, 1) mixes most rows
    tf.dispose([out.images, out.labels as tf.Tensor, m]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([images, masks, labels]);
  });

  it('rejects integer (class-index) segmentation masks with a clear error, in training and inference', () => {
    const images = tf.ones([2, 3, 3, 3]);
    const masks = tf.zeros([2, 3, 3, 1], 'int32');
    const layer = new MixUp({ seed: 1 });
    for (const training of [true, false])
      expect(() => layer.apply({ images, segmentationMasks: masks }, { training })).toThrow(
        /MixUp.*segmentationMasks .*must be float32 one-hot or soft masks.*received dtype int32 with shape \[2, 3, 3, 1\]/,
      );
    tf.dispose([images, masks]);
  });
});
