import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomContrast } from './random-contrast.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomContrast', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomContrast, {
      initArgs: { factor: 0.3, seed: 1 },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it('scales deviations from the per-channel mean by one factor per image, within [1 - lower, 1 + upper]', () => {
    // one channel, values 60, 100, 140, 180: mean 120
    const x = tf.tidy(() => tf.tile(tf.tensor4d([60, 100, 140, 180], [1, 2, 2, 1]), [50, 1, 1, 1]));
    const y = values(
      new RandomContrast({ factor: [0.5, 0.25], seed: 1 }).apply(x, { training: true }),
    );
    const factors: number[] = [];
    for (let b = 0; b < 50; b++) {
      const f = ((y[4 * b] as number) - 120) / -60;
      factors.push(f);
      [60, 100, 140, 180].forEach((v, i) => {
        expect(y[4 * b + i]).toBeCloseTo((v - 120) * f + 120, 3);
      });
    }
    expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...factors)).toBeLessThanOrEqual(1.25);
    expect(Math.max(...factors) - Math.min(...factors)).toBeGreaterThan(0.5);
    x.dispose();
  });

  it('keeps the per-image mean when nothing clips, and validates', () => {
    const x = tf.randomUniform([8, 6, 6, 3], 100, 150, 'float32', 3);
    const y = new RandomContrast({ factor: 0.5, seed: 4 }).apply(x, { training: true });
    const means = [tf.mean(x, [1, 2]), tf.mean(y, [1, 2])].map(values);
    means[0]?.forEach((m, i) => {
      expect(means[1]?.[i]).toBeCloseTo(m, 2);
    });
    tf.dispose([x, y]);
    expect(() => new RandomContrast({ factor: [1.5, 1] })).toThrow(
      /lower in \[0, 1\] and upper >= 0. Received: factor=\[1.5,1\]/,
    );
  });
});
