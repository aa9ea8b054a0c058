import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { runLayerTest } from '../../testing/run-layer-test.js';
import { Activation } from './activation.js';

beforeAll(async () => {
  await ready();
});

describe('Activation', () => {
  it('passes the layer harness', () => {
    runLayerTest(Activation, {
      initArgs: { activation: 'hard_sigmoid' },
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedNumTrainableWeights: 0,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('applies the named function', () => {
    const layer = new Activation({ activation: 'relu6' });
    const x = tf.tensor1d([-1, 3, 9]).reshape([1, 3]);
    const y = layer.apply(x);
    expect(Array.from(y.dataSync())).toEqual([0, 3, 6]);
    expect(layer.getConfig().activation).toBe('relu6');
    tf.dispose([x, y]);
    expect(() => new Activation({ activation: 'nope' })).toThrow(/Unknown activation "nope"/);
  });
});
