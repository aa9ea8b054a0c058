import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { expectClose } from './fixtures.js';
import { RMSNormalization } from './rms-normalization.js';

beforeAll(async () => {
  await ready();
});

describe('RMSNormalization', () => {
  it('passes runLayerTest and finite-difference gradients', () => {
    const report = runLayerTest(RMSNormalization, {
      initArgs: {},
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedNumTrainableWeights: 1,
      expectedNumNonTrainableWeights: 0,
    });
    expect(report.config.axis).toEqual([-1]);
    const layer = new RMSNormalization();
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 9);
    expect(checkGradientsNumerically(layer, x).length).toBeGreaterThan(0);
    x.dispose();
    layer.dispose();
  });

  it('divides by the root mean square (hand-derived)', () => {
    // Row [3, 4]: mean square 12.5, so y = x / sqrt(12.5 + 1e-6).
    const x = tf.tensor2d([[3, 4]]);
    const layer = new RMSNormalization();
    const y = layer.apply(x);
    const r = Math.sqrt(12.5 + 1e-6);
    expectClose(y, [[3 / r, 4 / r]]);
    expect(layer.weights.map((w) => w.name)).toEqual(['scale']);
    tf.dispose([x, y]);
    layer.dispose();
  });
});
