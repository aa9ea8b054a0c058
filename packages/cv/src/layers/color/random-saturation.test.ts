import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomSaturation } from './random-saturation.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomSaturation', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomSaturation, {
      initArgs: { factor: 0.5, seed: 1 },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it('0 removes saturation (r = g = b = max), 0.5 keeps the image, 1 saturates fully', () => {
    const x = tf.tensor4d([200, 100, 50, 30, 60, 90], [1, 1, 2, 3]);
    expect(
      values(new RandomSaturation({ factor: [0, 0], seed: 1 }).apply(x, { training: true })).map(
        Math.round,
      ),
    ).toEqual([200, 200, 200, 90, 90, 90]);
    const same = values(
      new RandomSaturation({ factor: [0.5, 0.5], seed: 1 }).apply(x, { training: true }),
    );
    [200, 100, 50, 30, 60, 90].forEach((v, i) => {
      expect(same[i]).toBeCloseTo(v, 2);
    });
    const full = values(
      new RandomSaturation({ factor: [1, 1], seed: 1 }).apply(x, { training: true }),
    ).map(Math.round);
    // s = 1: the smallest channel drops to 0, the largest stays, hue kept
    expect(full).toEqual([200, 67, 0, 0, 45, 90]);
    x.dispose();
  });
});
