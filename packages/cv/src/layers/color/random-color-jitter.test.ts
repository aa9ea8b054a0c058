import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomColorJitter } from './random-color-jitter.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomColorJitter', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomColorJitter, {
      initArgs: {
        brightnessFactor: 0.2,
        contrastFactor: 0.3,
        saturationFactor: [0.4, 0.6],
        hueFactor: 0.1,
        seed: 1,
      },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it('with only a brightness factor equals RandomBrightness on [0, 1] images; jitters every image differently', () => {
    const x = tf.fill([1, 2, 2, 3], 100);
    const y = values(
      new RandomColorJitter({ brightnessFactor: [0.1, 0.1], seed: 3 }).apply(x, { training: true }),
    );
    for (const v of y) expect(v).toBeCloseTo(125.5, 3);
    const batch = tf.randomUniform([6, 4, 4, 3], 50, 200, 'float32', 2);
    const out = new RandomColorJitter({
      brightnessFactor: 0.2,
      contrastFactor: 0.2,
      saturationFactor: 0.3,
      hueFactor: 0.2,
      seed: 4,
    }).apply(batch, { training: true });
    const diffs = values(tf.mean(tf.abs(tf.sub(out, batch)), [1, 2, 3]));
    expect(diffs.every((d) => d > 0.5)).toBe(true);
    expect(new Set(diffs.map((d) => d.toFixed(3))).size).toBe(6);
    const inference = new RandomColorJitter({ brightnessFactor: 0.2 }).apply(batch);
    expect(values(inference)).toEqual(Array.from(batch.dataSync()));
    tf.dispose([x, batch, out]);
  });
});
