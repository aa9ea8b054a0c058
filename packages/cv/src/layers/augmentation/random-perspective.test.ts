import { backend, type tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { mapPoint } from '../base-geometric-layer.js';
import { disposeAll, expectBoxesFollowImages, rectangleBatch } from '../test-helpers.js';
import { homography, RandomPerspective } from './random-perspective.js';

beforeAll(async () => {
  await backend.ready();
});

describe('RandomPerspective', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomPerspective, {
      initArgs: { scale: 0.3, seed: 1 },
      inputShape: [2, 8, 8, 3],
      expectedOutputShape: [2, 8, 8, 3],
    });
  });

  it('homography maps the four points exactly', () => {
    const from: [number, number][] = [
      [0, 0],
      [9, 0],
      [9, 9],
      [0, 9],
    ];
    const to: [number, number][] = [
      [1, 2],
      [8, 0.5],
      [10, 9],
      [-1, 8],
    ];
    const m = homography(from, to);
    from.forEach(([x, y], i) => {
      const [u, v] = mapPoint(m, x, y);
      expect(u).toBeCloseTo((to[i] as number[])[0] as number, 8);
      expect(v).toBeCloseTo((to[i] as number[])[1] as number, 8);
    });
  });

  it('moves boxes and masks with the images; factor 0 is the identity', () => {
    const { inputs } = rectangleBatch(12, 40, 40, 3);
    const out = new RandomPerspective({ scale: 0.3, seed: 2 }).apply(inputs, { training: true });
    expect(expectBoxesFollowImages(out, 1.5)).toBe(12);
    disposeAll(out);
    const same = new RandomPerspective({ factor: 0, seed: 2 }).apply(inputs, { training: true });
    expect(Array.from((same.images as tf.Tensor).dataSync())).toEqual(
      Array.from(inputs.images.dataSync()),
    );
    disposeAll(same);
    disposeAll(inputs);
  });
});
