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

  it("a pure x shear (Keras 3's, about the top-left pixel) shifts row y by +-factor * y", () => {
    const x = tf.tidy(() =>
      tf.tile(tf.reshape(tf.range(0, 9, 1, 'float32'), [1, 1, 9, 1]), [6, 9, 1, 1]),
    );
    const y = new RandomShear({ xFactor: [0.25, 0.25], seed: 1, fillMode: 'nearest' }).apply(x, {
      training: true,
    });
    const signs = new Set<number>();
    for (const image of y.arraySync() as number[][][][]) {
      const row = (r: number) => image[r]?.map((p) => p[0]);
      // output (x, y) samples input x + s * y: row 0 stays, row 8 reads x + 2 or x - 2
      expect(row(0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      const last = JSON.stringify(row(8));
      const sign = last === JSON.stringify([2, 3, 4, 5, 6, 7, 8, 8, 8]) ? 1 : -1;
      if (sign < 0) expect(row(8)).toEqual([0, 0, 0, 1, 2, 3, 4, 5, 6]);
      expect(row(4)?.[4]).toBe(4 + sign);
      signs.add(sign);
    }
    // both signs, each with probability 1/2 (Keras's coin)
    expect([...signs].sort()).toEqual([-1, 1]);
    tf.dispose([x, y]);
  });
});
