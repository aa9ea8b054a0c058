import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { runLayerTest } from '../../testing/index.js';
import { GlobalAveragePooling1D } from './global-average-pooling1d.js';
import { GlobalAveragePooling2D } from './global-average-pooling2d.js';
import { GlobalAveragePooling3D } from './global-average-pooling3d.js';
import { GlobalMaxPooling1D } from './global-max-pooling1d.js';
import { GlobalMaxPooling2D } from './global-max-pooling2d.js';
import { GlobalMaxPooling3D } from './global-max-pooling3d.js';

beforeAll(async () => {
  await ready();
});

describe('Global pooling 1D-3D', () => {
  it('GlobalAveragePooling1D passes the layer harness (masking supported)', () => {
    runLayerTest(GlobalAveragePooling1D, {
      inputShape: [2, 5, 3],
      expectedOutputShape: [2, 3],
      expectedNumTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  const all = [
    [GlobalMaxPooling1D, 1],
    [GlobalMaxPooling2D, 2],
    [GlobalMaxPooling3D, 3],
    [GlobalAveragePooling2D, 2],
    [GlobalAveragePooling3D, 3],
  ] as const;
  for (const [cls, rank] of all) {
    it(`${cls.className} passes the layer harness with keepdims`, () => {
      runLayerTest(cls, {
        initArgs: { keepdims: true },
        inputShape: [2, ...new Array<number>(rank).fill(3), 4],
        expectedOutputShape: [2, ...new Array<number>(rank).fill(1), 4],
        expectedNumTrainableWeights: 0,
      });
    });
  }

  it('pools hand-computed values', () => {
    // x[0] = [[1, -2], [3, 4], [-5, 6]] (3 steps, 2 channels)
    const x = tf.tensor3d([
      [
        [1, -2],
        [3, 4],
        [-5, 6],
      ],
    ]);
    const avg = new GlobalAveragePooling1D().apply(x);
    const max = new GlobalMaxPooling1D().apply(x);
    const first = new GlobalAveragePooling1D({ dataFormat: 'channels_first' }).apply(x);
    expect(Array.from(avg.dataSync())).toEqual([-1 / 3, 8 / 3].map((v) => Math.fround(v)));
    expect(Array.from(max.dataSync())).toEqual([3, 6]);
    expect(Array.from(first.dataSync())).toEqual([-0.5, 3.5, 0.5]);
    tf.dispose([x, avg, max, first]);
  });

  it('leaves masked steps out of the 1D average (Keras semantics)', () => {
    const x = tf.tensor3d([
      [
        [1, -2],
        [3, 4],
        [-5, 6],
      ],
    ]);
    const mask = tf.tensor2d([[true, true, false]], [1, 3], 'bool');
    const y = new GlobalAveragePooling1D().apply(x, { mask });
    expect(Array.from(y.dataSync())).toEqual([2, 1]);
    tf.dispose([x, mask, y]);
  });

  it('writes the Keras 3 config (functional_cnn gap)', () => {
    const config = new GlobalAveragePooling2D({ name: 'gap' }).getConfig();
    expect(Object.keys(config)).toEqual(['name', 'trainable', 'dtype', 'data_format', 'keepdims']);
    expect(config).toMatchObject({ data_format: 'channels_last', keepdims: false });
  });
});
