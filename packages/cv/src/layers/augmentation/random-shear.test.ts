import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { RandomShear } from './random-shear.js';

beforeAll(async () => {
  await backend.ready();
});

describe('RandomShear', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomShear, {
      initArgs: { xFactor: 0.3, yFactor: 0.2, seed: 1 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('moves boxes and masks with the images', () => {
    const { inputs } = rectangleBatch(12, 40, 40, 6);
    const out = new RandomShear({
      xFactor: 0.3,
      yFactor: 0.3,
      seed: 2,
      fillMode: 'constant',
    }).apply(inputs, { training: true });
    expect(expectBoxesFollowImages(out, 1.5)).toBe(12);
    disposeAll(out);
    disposeAll(inputs);
  });

  it('a pure x shear keeps rows intact and shifts them by factor * (y - centre)', () => {
    const x = tf.tidy(() =>
      tf.tile(tf.reshape(tf.range(0, 9, 1, 'float32'), [1, 1, 9, 1]), [1, 9, 1, 1]),
    );
    const y = new RandomShear({ xFactor: [0.25, 0.25], seed: 1, fillMode: 'nearest' }).apply(x, {
      training: true,
    });
    const out = (y.arraySync() as number[][][][])[0] as number[][][];
    // output (x, y) samples input x + 0.25 * (y - 4): row 0 reads x - 1, row 8 reads x + 1
    expect(out[0]?.map((p) => p[0])).toEqual([0, 0, 1, 2, 3, 4, 5, 6, 7]);
    expect(out[4]?.map((p) => p[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(out[8]?.map((p) => p[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 8]);
    tf.dispose([x, y]);
  });
});
