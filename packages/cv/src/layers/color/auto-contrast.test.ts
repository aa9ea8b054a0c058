import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoContrast } from './auto-contrast.js';

beforeAll(async () => {
  await backend.ready();
});

function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

describe('AutoContrast', () => {
  it('passes the layer harness', () => {
    runLayerTest(AutoContrast, {
      initArgs: {},
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
    });
  });

  it('stretches each channel to the value range, at inference too; flat channels stay', () => {
    // channel 0: 50..150, channel 1: flat 80
    const x = tf.tensor4d([50, 80, 100, 80, 150, 80], [1, 1, 3, 2]);
    const y = values(new AutoContrast().apply(x));
    [0, 80, 127.5, 80, 255, 80].forEach((e, i) => {
      expect(y[i]).toBeCloseTo(e, 3);
    });
    x.dispose();
  });
});
