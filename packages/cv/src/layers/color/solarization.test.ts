import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Solarization } from './solarization.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('Solarization', () => {
  it('passes the layer harness', () => {
    runLayerTest(Solarization, {
      initArgs: { thresholdFactor: 0.5, seed: 1 },
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it('inverts values at or above the threshold (default 0: every value, as Keras 3)', () => {
    const x = tf.tensor4d([0, 100, 127, 128, 200, 255], [1, 1, 2, 3]);
    // threshold 0.5 of the range, i.e. 127.5
    const y = values(
      new Solarization({ thresholdFactor: [0.5, 0.5], seed: 1 }).apply(x, { training: true }),
    ).map(Math.round);
    expect(y).toEqual([0, 100, 127, 127, 55, 0]);
    // the default threshold 0 inverts everything
    const all = values(new Solarization({ seed: 1 }).apply(x, { training: true })).map(Math.round);
    expect(all).toEqual([255, 155, 128, 127, 55, 0]);
    // addition 0.2 (51) first, then threshold 0.8 (204)
    const z = values(
      new Solarization({ additionFactor: [0.2, 0.2], thresholdFactor: [0.8, 0.8], seed: 1 }).apply(
        x,
        { training: true },
      ),
    ).map(Math.round);
    expect(z).toEqual([51, 151, 178, 179, 4, 0]);
    // inactive at inference
    expect(values(new Solarization({ seed: 1 }).apply(x))).toEqual([0, 100, 127, 128, 200, 255]);
    x.dispose();
  });
});
