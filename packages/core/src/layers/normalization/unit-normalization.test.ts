import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { runLayerTest } from '../../testing/index.js';
import { expectClose } from './fixtures.js';
import { UnitNormalization } from './unit-normalization.js';

beforeAll(async () => {
  await ready();
});

describe('UnitNormalization', () => {
  it('passes runLayerTest', () => {
    runLayerTest(UnitNormalization, {
      initArgs: { axis: [1, 2] },
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('scales each row to unit l2 norm (3-4-5 triangle)', () => {
    const x = tf.tensor2d([
      [3, 4],
      [0, -2],
    ]);
    const y = new UnitNormalization().apply(x);
    expectClose(y, [
      [0.6, 0.8],
      [0, -1],
    ]);
    const all = new UnitNormalization({ axis: [0, 1] }).apply(x);
    // Norm of all four entries: sqrt(9 + 16 + 4) = sqrt(29).
    const n = Math.sqrt(29);
    expectClose(all, [
      [3 / n, 4 / n],
      [0, -2 / n],
    ]);
    tf.dispose([x, y, all]);
  });
});
