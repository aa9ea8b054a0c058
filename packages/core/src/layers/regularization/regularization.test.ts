import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { runLayerTest } from '../../testing/index.js';
import { expectClose } from '../normalization/fixtures.js';
import { ActivityRegularization } from './activity-regularization.js';
import { AlphaDropout } from './alpha-dropout.js';
import { Dropout } from './dropout.js';
import { GaussianDropout } from './gaussian-dropout.js';
import { GaussianNoise } from './gaussian-noise.js';
import { SpatialDropout1D } from './spatial-dropout1d.js';
import { SpatialDropout2D } from './spatial-dropout2d.js';
import { SpatialDropout3D } from './spatial-dropout3d.js';

beforeAll(async () => {
  await ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('Dropout', () => {
  it('passes runLayerTest in both modes', () => {
    runLayerTest(Dropout, {
      initArgs: { rate: 0.5, seed: 3 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      supportsMasking: true,
    });
    runLayerTest(Dropout, {
      initArgs: { rate: 0.5, noiseShape: [null, 1] },
      inputShape: [2, 3],
      callArgs: { training: true },
      expectedOutputShape: [2, 3],
    });
  });

  it('is the identity unless training, then drops about `rate` and rescales the rest', () => {
    const x = tf.ones([100, 100]);
    const layer = new Dropout({ rate: 0.3, seed: 7 });
    expect(values(layer.apply(x))).toEqual(new Array(10000).fill(1));
    const v = values(layer.apply(x, { training: true }));
    const kept = v.filter((a) => a !== 0);
    for (const a of kept) expect(a).toBeCloseTo(1 / 0.7, 5);
    expect(kept.length / v.length).toBeGreaterThan(0.67);
    expect(kept.length / v.length).toBeLessThan(0.73);
    const noise = new Dropout({ rate: 0.5, noiseShape: [null, 1], seed: 1 });
    const rows = values(noise.apply(x, { training: true }));
    for (let r = 0; r < 100; r++) expect(new Set(rows.slice(r * 100, r * 100 + 100)).size).toBe(1);
    x.dispose();
    expect(() => new Dropout({ rate: 1 })).toThrow(
      /rate must be a number in the range \[0, 1\). Received: rate=1/,
    );
  });

  it('is reproducible with a seed and leaks nothing when repeated', () => {
    const x = tf.ones([4, 5]);
    const a = values(new Dropout({ rate: 0.5, seed: 42 }).apply(x, { training: true }));
    const b = values(new Dropout({ rate: 0.5, seed: 42 }).apply(x, { training: true }));
    expect(a).toEqual(b);
    const layer = new Dropout({ rate: 0.5 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) layer.apply(x, { training: true }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('SpatialDropout', () => {
  it('passes runLayerTest for 1D, 2D and 3D', () => {
    runLayerTest(SpatialDropout1D, {
      initArgs: { rate: 0.5 },
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
    });
    runLayerTest(SpatialDropout2D, {
      initArgs: { rate: 0.5, dataFormat: 'channels_first' },
      inputShape: [2, 3, 4, 4],
      expectedOutputShape: [2, 3, 4, 4],
    });
    runLayerTest(SpatialDropout3D, {
      initArgs: { rate: 0.5 },
      inputShape: [1, 2, 2, 2, 3],
      expectedOutputShape: [1, 2, 2, 2, 3],
    });
  });

  it('drops whole feature maps', () => {
    const x = tf.ones([2, 5, 5, 8]);
    const y = new SpatialDropout2D({ rate: 0.5, seed: 5 }).apply(x, { training: true });
    const v = y.arraySync() as number[][][][];
    for (const sample of v) {
      for (let c = 0; c < 8; c++) {
        const channel = new Set(sample.flatMap((row) => row.map((px) => px[c])));
        expect(channel.size).toBe(1);
      }
    }
    tf.dispose([x, y]);
  });
});

describe('GaussianNoise and GaussianDropout', () => {
  it('pass runLayerTest', () => {
    runLayerTest(GaussianNoise, {
      initArgs: { stddev: 0.1, seed: 1 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
    runLayerTest(GaussianDropout, {
      initArgs: { rate: 0.2 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
  });

  it('have the documented noise statistics while training only', () => {
    const x = tf.ones([200, 100]);
    const noise = values(new GaussianNoise({ stddev: 0.5, seed: 2 }).apply(x, { training: true }));
    const mean = noise.reduce((s, a) => s + a, 0) / noise.length;
    const sd = Math.sqrt(noise.reduce((s, a) => s + (a - mean) ** 2, 0) / noise.length);
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeGreaterThan(0.48);
    expect(sd).toBeLessThan(0.52);
    const drop = values(new GaussianDropout({ rate: 0.5, seed: 2 }).apply(x, { training: true }));
    const dsd = Math.sqrt(drop.reduce((s, a) => s + (a - 1) ** 2, 0) / drop.length);
    expect(dsd).toBeGreaterThan(0.97); // sqrt(0.5 / 0.5) = 1
    expect(dsd).toBeLessThan(1.03);
    expect(values(new GaussianNoise({ stddev: 0.5 }).apply(x))).toEqual(new Array(20000).fill(1));
    x.dispose();
  });
});

describe('AlphaDropout', () => {
  it('passes runLayerTest and keeps zero mean / unit variance of standard normal inputs', () => {
    runLayerTest(AlphaDropout, {
      initArgs: { rate: 0.2, seed: 1 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
    });
    const x = tf.randomNormal([200, 200], 0, 1, 'float32', 4);
    const v = values(new AlphaDropout({ rate: 0.2, seed: 9 }).apply(x, { training: true }));
    const mean = v.reduce((s, a) => s + a, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(sd).toBeGreaterThan(0.96);
    expect(sd).toBeLessThan(1.04);
    x.dispose();
  });
});

describe('ActivityRegularization', () => {
  it('passes runLayerTest and adds l1 * sum|x| + l2 * sum x^2 to losses', () => {
    const report = runLayerTest(ActivityRegularization, {
      initArgs: { l1: 0.1, l2: 0.01 },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedNumLosses: 1,
    });
    expect(report.config).toMatchObject({ l1: 0.1, l2: 0.01 });
    expect(report.config).not.toHaveProperty('activity_regularizer');
    const layer = new ActivityRegularization({ l1: 0.1, l2: 0.01 });
    const x = tf.tensor2d([
      [1, -2],
      [3, 0],
    ]);
    const y = layer.apply(x);
    expectClose(y, [
      [1, -2],
      [3, 0],
    ]);
    const [loss] = layer.losses;
    // 0.1 * (1 + 2 + 3) + 0.01 * (1 + 4 + 9) = 0.74
    expectClose(loss as tf.Tensor, 0.74);
    tf.dispose([x, y]);
    layer.dispose();
  });
});
