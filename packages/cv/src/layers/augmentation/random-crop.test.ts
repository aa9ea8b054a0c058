import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { resizeImage } from '../../io/resize-image.js';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { RandomCrop } from './random-crop.js';

beforeAll(async () => {
  await backend.ready();
});

describe('RandomCrop', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomCrop, {
      initArgs: { height: 5, width: 6, seed: 1 },
      inputShape: [2, 8, 10, 3],
      expectedOutputShape: [2, 5, 6, 3],
    });
  });

  it('crops windows that are exact slices of the input, at spread offsets', () => {
    const x = tf.tidy(() =>
      tf.tile(tf.reshape(tf.range(0, 100, 1, 'float32'), [1, 10, 10, 1]), [50, 1, 1, 1]),
    );
    const out = new RandomCrop({ height: 4, width: 4, seed: 2 }).apply(x, { training: true });
    const corners = new Set<number>();
    for (const image of out.arraySync() as number[][][][]) {
      const v0 = image[0]?.[0]?.[0] as number;
      corners.add(v0);
      const top = Math.floor(v0 / 10);
      const left = v0 % 10;
      expect(top).toBeLessThanOrEqual(6);
      expect(left).toBeLessThanOrEqual(6);
      for (let r = 0; r < 4; r++)
        for (let c = 0; c < 4; c++) expect(image[r]?.[c]?.[0]).toBe((top + r) * 10 + left + c);
    }
    expect(corners.size).toBeGreaterThan(20); // 49 possible offsets
    tf.dispose([x, out]);
  });

  it('at inference resizes the centred window like resizeImage(cropToAspectRatio)', () => {
    const x = tf.randomUniform([1, 12, 20, 3], 0, 255, 'float32', 4) as tf.Tensor4D;
    const out = new RandomCrop({ height: 6, width: 6 }).apply(x);
    const expected = resizeImage(x, [6, 6], { cropToAspectRatio: true });
    const a = out.dataSync();
    const e = expected.dataSync();
    for (let i = 0; i < a.length; i++)
      expect(Math.abs((a[i] as number) - (e[i] as number))).toBeLessThan(1e-3);
    tf.dispose([x, out, expected]);
  });

  it('moves boxes and masks with the images', () => {
    const { inputs } = rectangleBatch(12, 30, 40, 7);
    const out = new RandomCrop({ height: 20, width: 24, seed: 3 }).apply(inputs, {
      training: true,
    });
    expect((out.images as tf.Tensor).shape).toEqual([12, 20, 24, 3]);
    expectBoxesFollowImages(out, 0.01);
    disposeAll(out);
    disposeAll(inputs);
  });
});
