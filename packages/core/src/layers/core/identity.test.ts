import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { Input } from '../../engine/input-layer.js';
import { runLayerTest } from '../../testing/run-layer-test.js';
import { Identity } from './identity.js';

beforeAll(async () => {
  await ready();
});

describe('Identity', () => {
  it('passes the layer harness and returns its input unchanged', () => {
    runLayerTest(Identity, {
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedNumTrainableWeights: 0,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
    const x = tf.tensor2d([[1, 2]], [1, 2], 'int32');
    const layer = new Identity();
    expect(layer.apply(x)).toBe(x);
    expect(layer.apply(Input({ shape: [2], dtype: 'int32' })).dtype).toBe('int32');
    x.dispose();
  });
});
