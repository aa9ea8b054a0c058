import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomPosterization } from './random-posterization.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomPosterization', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomPosterization, {
      initArgs: { factor: [3, 6], seed: 1 },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it('keeps the top bits of each byte', () => {
    const x = tf.tensor4d([200, 63, 64, 255, 127, 1], [1, 1, 2, 3]);
    // 2 bits: multiples of 64
    expect(
      values(new RandomPosterization({ factor: [2, 2], seed: 1 }).apply(x, { training: true })),
    ).toEqual([192, 0, 64, 192, 64, 0]);
    expect(() => new RandomPosterization({ factor: 9 })).toThrow(/bits in \[1, 8\]/);
    x.dispose();
  });
});
