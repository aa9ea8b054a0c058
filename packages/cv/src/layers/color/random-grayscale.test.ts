import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { RandomGrayscale } from './random-grayscale.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('RandomGrayscale', () => {
  it('passes the layer harness', () => {
    runLayerTest(RandomGrayscale, {
      initArgs: { factor: 0.5, seed: 1 },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it('factor 1 gives ITU-R 601 luma in every channel', () => {
    const x = tf.tensor4d([200, 100, 50], [1, 1, 1, 3]);
    const y = values(new RandomGrayscale({ factor: 1, seed: 1 }).apply(x, { training: true }));
    const luma = 0.2989 * 200 + 0.587 * 100 + 0.114 * 50;
    for (const v of y) expect(v).toBeCloseTo(luma, 3);
    x.dispose();
  });

  it('turns about factor of the images gray', () => {
    const x = tf.tidy(() => tf.tile(tf.tensor4d([200, 100, 50], [1, 1, 1, 3]), [400, 1, 1, 1]));
    const y = values(new RandomGrayscale({ factor: 0.25, seed: 3 }).apply(x, { training: true }));
    let gray = 0;
    for (let i = 0; i < y.length; i += 3) if (y[i] === y[i + 1]) gray++;
    // binomial(400, 0.25): mean 100, sd 8.7
    expect(gray).toBeGreaterThan(70);
    expect(gray).toBeLessThan(130);
    x.dispose();
  });
});
