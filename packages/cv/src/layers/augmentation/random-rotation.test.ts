import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { RandomRotation } from './random-rotation.js';

beforeAll(async () => {
  await backend.ready();
});

describe('RandomRotation', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomRotation, {
      initArgs: { factor: 0.2, seed: 1, fillMode: 'constant' },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('a quarter turn is an exact counter-clockwise rot90', () => {
    const x = tf.tidy(() => tf.reshape(tf.range(0, 25, 1, 'float32'), [1, 5, 5, 1]));
    const y = new RandomRotation({ factor: [0.25, 0.25], seed: 1 }).apply(x, { training: true });
    const out = (y.arraySync() as number[][][][])[0] as number[][][];
    // counter-clockwise: out[r][c] = in[c][4 - r], so the top row (0..4) becomes the left column, bottom to top
    for (let r = 0; r < 5; r++)
      for (let c = 0; c < 5; c++) expect(out[r]?.[c]?.[0]).toBeCloseTo(5 * c + (4 - r), 4);
    tf.dispose([x, y]);
  });

  it('moves boxes and masks with the images', () => {
    const { inputs } = rectangleBatch(12, 40, 40, 8);
    const out = new RandomRotation({ factor: 0.15, seed: 4, fillMode: 'constant' }).apply(inputs, {
      training: true,
    });
    expect(expectBoxesFollowImages(out, 1.5)).toBe(12);
    disposeAll(out);
    disposeAll(inputs);
  });

  it('draws angles within the factor range (a 30-pixel bar turned by at most 18 degrees spans at most 12 rows)', () => {
    // a thin horizontal bar: its enclosing box after a rotation by a has height ~ w * |sin a|
    const bar = tf.tidy(() =>
      tf.pad(tf.fill([1, 1, 30, 1], 255), [
        [0, 0],
        [20, 20],
        [5, 5],
        [0, 0],
      ]),
    );
    const images = tf.tidy(() => tf.tile(bar, [200, 1, 1, 3]));
    const layer = new RandomRotation({ factor: 0.05, seed: 9, fillMode: 'constant' }); // at most 18 degrees
    const out = layer.apply(images, { training: true });
    const heights = tf.tidy(() =>
      tf.sum(
        tf.cast(
          tf.greater(tf.max(tf.slice(out, [0, 0, 0, 0], [-1, -1, -1, 1]), [2, 3]), 60),
          'float32',
        ),
        1,
      ),
    );
    const h = Array.from(heights.dataSync());
    // 30 * sin(18 deg) = 9.3 rows at most, and the angles are spread (not all the same)
    expect(Math.max(...h)).toBeLessThanOrEqual(12);
    expect(new Set(h).size).toBeGreaterThan(4);
    tf.dispose([bar, images, out, heights]);
  });

  it('validates the factor', () => {
    expect(() => new RandomRotation({ factor: [0.3, 0.1] })).toThrow(
      /factor must be a number or a \[lower, upper\] pair within \[-1, 1\]. Received: factor=\[0.3,0.1\]/,
    );
  });
});
