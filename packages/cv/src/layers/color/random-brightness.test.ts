import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomBrightness } from './random-brightness.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomBrightness', () => {
  it('passes the layer harness and is inactive at inference', () => {
    runLayerTest(RandomBrightness, {
      initArgs: { factor: 0.2, seed: 1 },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
    const x = tf.fill([1, 2, 2, 3], 100);
    expect(values(new RandomBrightness({ factor: 0.5 }).apply(x))).toEqual(new Array(12).fill(100));
    x.dispose();
  });

  it('adds factor * range, clipped', () => {
    const x = tf.tensor4d([0, 100, 250], [1, 1, 1, 3]);
    const y = values(
      new RandomBrightness({ factor: [0.2, 0.2], seed: 1 }).apply(x, { training: true }),
    );
    expect(y[0]).toBeCloseTo(51, 3);
    expect(y[1]).toBeCloseTo(151, 3);
    expect(y[2]).toBeCloseTo(255, 3);
    x.dispose();
  });

  it('draws uniform offsets within [-f, f] * 255 (mean ~0, spread over the range)', () => {
    const x = tf.fill([500, 1, 1, 1], 127.5);
    const deltas = values(
      new RandomBrightness({ factor: 0.3, seed: 2 }).apply(x, { training: true }),
    ).map((v) => v - 127.5);
    expect(Math.max(...deltas.map(Math.abs))).toBeLessThanOrEqual(0.3 * 255 + 1e-3);
    const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length;
    // uniform on [-76.5, 76.5]: sd 44.2, standard error of the mean about 2
    expect(Math.abs(mean)).toBeLessThan(8);
    expect(Math.max(...deltas)).toBeGreaterThan(70);
    x.dispose();
  });
});
