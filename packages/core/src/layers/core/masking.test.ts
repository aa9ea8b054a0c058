import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { Input } from '../../engine/input-layer.js';
import { getMask } from '../../engine/mask.js';
import { runLayerTest } from '../../testing/run-layer-test.js';
import { Masking } from './masking.js';

beforeAll(async () => {
  await ready();
});

describe('Masking', () => {
  it('passes the layer harness', () => {
    runLayerTest(Masking, {
      initArgs: { maskValue: 0 },
      inputShape: [2, 3, 2],
      expectedOutputShape: [2, 3, 2],
      expectedNumTrainableWeights: 0,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('zeroes and masks timesteps whose features all equal maskValue', () => {
    const layer = new Masking({ maskValue: -1 });
    const x = tf.tensor3d([
      [
        [1, 2],
        [-1, -1],
        [-1, 3],
      ],
    ]);
    const y = layer.apply(x);
    expect(y.arraySync()).toEqual([
      [
        [1, 2],
        [-0, -0],
        [-1, 3],
      ],
    ]);
    expect(getMask(y)?.arraySync()).toEqual([[1, 0, 1]]);
    tf.dispose([x, getMask(y) as tf.Tensor, y]);
    expect(layer.apply(Input({ shape: [5, 2] })).mask?.shape).toEqual([null, 5]);
    expect(layer.getConfig().mask_value).toBe(-1);
  });
});
