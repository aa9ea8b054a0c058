import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { RandomFlip } from './random-flip.js';

beforeAll(async () => {
  await backend.ready();
});

describe('RandomFlip', () => {
  it('passes the layer harness (symbolic shape, config round trip, no leaks)', () => {
    runLayerTest(RandomFlip, {
      initArgs: { mode: 'horizontal', seed: 3 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
      expectedNumTrainableWeights: 0,
    });
  });

  it('is the identity at inference', () => {
    const x = tf.randomUniform([2, 5, 6, 3]);
    const y = new RandomFlip({ seed: 1 }).apply(x);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y]);
  });

  it('flips about half of the images horizontally, exactly (seeded)', () => {
    const row = tf.tidy(() =>
      tf.tile(tf.reshape(tf.range(0, 6, 1, 'float32'), [1, 1, 6, 1]), [400, 2, 1, 1]),
    );
    const layer = new RandomFlip({ mode: 'horizontal', seed: 7 });
    const out = layer.apply(row, { training: true });
    const values = out.arraySync() as number[][][][];
    let flipped = 0;
    for (const image of values) {
      const first = image[0]?.map((p) => p[0]);
      if (first?.[0] === 5) {
        flipped++;
        expect(first).toEqual([5, 4, 3, 2, 1, 0]);
      } else expect(first).toEqual([0, 1, 2, 3, 4, 5]);
    }
    // binomial(400, 0.5): mean 200, sd 10
    expect(flipped).toBeGreaterThan(160);
    expect(flipped).toBeLessThan(240);
    // same seed, same flips; the stream advances between calls
    const again = new RandomFlip({ mode: 'horizontal', seed: 7 }).apply(row, { training: true });
    expect(Array.from(again.dataSync())).toEqual(Array.from(out.dataSync()));
    tf.dispose([row, out, again]);
    layer.dispose();
  });

  it('moves boxes and masks with the images (both axes)', () => {
    const { inputs } = rectangleBatch(16, 24, 32, 5);
    const before = tf.memory().numTensors;
    const out = new RandomFlip({ seed: 2 }).apply(inputs, { training: true });
    expect(expectBoxesFollowImages(out, 0.01)).toBe(16);
    disposeAll(out);
    expect(tf.memory().numTensors).toBe(before);
    disposeAll(inputs);
  });

  it('names a bad mode', () => {
    expect(() => new RandomFlip({ mode: 'diagonal' as 'horizontal' })).toThrow(
      /mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical'. Received: mode="diagonal"/,
    );
  });
});
