import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomInvert } from './random-invert.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomInvert', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomInvert, {
      initArgs: { factor: 0.5, seed: 1 },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it('maps x to max + min - x over the value range', () => {
    const x = tf.tensor4d([0, 55, 255], [1, 1, 1, 3]);
    expect(
      values(new RandomInvert({ seed: 1 }).apply(x, { training: true })).map(Math.round),
    ).toEqual([255, 200, 0]);
    const y = tf.tensor4d([-1, 0, 0.5], [1, 1, 1, 3]);
    const z = values(
      new RandomInvert({ valueRange: [-1, 1], seed: 1 }).apply(y, { training: true }),
    );
    [1, 0, -0.5].forEach((e, i) => {
      expect(z[i]).toBeCloseTo(e, 5);
    });
    tf.dispose([x, y]);
  });
});
