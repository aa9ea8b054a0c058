import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { RandomElasticTransform } from './random-elastic-transform.js';

beforeAll(async () => {
  await backend.ready();
});

describe('RandomElasticTransform', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomElasticTransform, {
      initArgs: { seed: 1, scale: 0.5 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('displaces smoothly with a small field, and keeps a constant image constant', () => {
    // a horizontal ramp: the output value at (x, y) is the x it sampled. Strength 1 on 40x40:
    // alpha 4, sigma 2, so the displacement's std is alpha * sigma * sum(k^2) = 8 * 0.141 = 1.1 px.
    const ramp = tf.tidy(() =>
      tf.tile(tf.reshape(tf.range(0, 40, 1, 'float32'), [1, 1, 40, 1]), [4, 40, 1, 1]),
    );
    const out = new RandomElasticTransform({
      factor: [1, 1],
      scale: [1, 1],
      fillMode: 'nearest',
      seed: 2,
    }).apply(ramp, { training: true });
    const v = out.arraySync() as number[][][][];
    let maxShift = 0;
    let maxStep = 0;
    for (const image of v) {
      for (let y = 0; y < 40; y++) {
        for (let x = 1; x < 39; x++) {
          maxShift = Math.max(maxShift, Math.abs((image[y]?.[x]?.[0] as number) - x));
          maxStep = Math.max(
            maxStep,
            Math.abs((image[y]?.[x]?.[0] as number) - (image[y]?.[x - 1]?.[0] as number) - 1),
          );
        }
      }
    }
    expect(maxShift).toBeLessThanOrEqual(6); // about 5 sd
    expect(maxShift).toBeGreaterThan(1);
    expect(maxStep).toBeLessThan(1.5); // smooth: neighbours move together
    const flat = tf.fill([2, 10, 10, 3], 42);
    const same = new RandomElasticTransform({ seed: 3 }).apply(flat, { training: true });
    expect(Array.from(same.dataSync()).every((p) => Math.abs(p - 42) < 1e-3)).toBe(true);
    tf.dispose([ramp, out, flat, same]);
  });

  it('moves boxes and masks with the images', () => {
    const { inputs } = rectangleBatch(6, 32, 32, 4);
    const out = new RandomElasticTransform({
      factor: [1, 1],
      scale: [0.6, 0.6],
      seed: 5,
      interpolation: 'nearest',
    }).apply(inputs, { training: true });
    expect(expectBoxesFollowImages(out, 0.01)).toBe(6);
    disposeAll(out);
    disposeAll(inputs);
  });
});
