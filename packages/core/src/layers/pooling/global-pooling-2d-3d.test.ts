import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { Input } from '../../engine/input-layer.js';
import type { KerasTensor } from '../../engine/keras-tensor.js';
import { GlobalAveragePooling2D } from './global-average-pooling2d.js';
import { GlobalAveragePooling3D } from './global-average-pooling3d.js';
import { GlobalMaxPooling2D } from './global-max-pooling2d.js';
import { GlobalMaxPooling3D } from './global-max-pooling3d.js';

beforeAll(async () => {
  await ready();
});

/** Runs a layer on `x` and returns [shape, values], leaving no tensors behind. */
function run(
  layer: { apply(x: tf.Tensor): tf.Tensor | tf.Tensor[] },
  x: tf.Tensor,
): [number[], number[]] {
  const y = layer.apply(x) as tf.Tensor;
  const result: [number[], number[]] = [y.shape, Array.from(y.dataSync())];
  y.dispose();
  return result;
}

describe('GlobalAveragePooling2D / GlobalMaxPooling2D (hand-computed)', () => {
  // Sample 0, channels_last [h, w, c]: (0,0)=[1, -8] (0,1)=[2, 4] (1,0)=[-3, 0] (1,1)=[6, 2].
  // Sample 1 is sample 0 negated, so a mix-up of batch and spatial axes changes the answer.
  const sample = [1, -8, 2, 4, -3, 0, 6, 2];
  const data = [...sample, ...sample.map((v) => -v)];

  it('pools over h and w in channels_last', () => {
    const x = tf.tensor4d(data, [2, 2, 2, 2]);
    const before = tf.memory().numTensors;
    // avg c0 = (1 + 2 - 3 + 6) / 4 = 1.5, c1 = (-8 + 4 + 0 + 2) / 4 = -0.5; max c0 = 6, c1 = 4.
    // Negated sample: avg [-1.5, 0.5]; max c0 = max(-1, -2, 3, -6) = 3, c1 = max(8, -4, 0, -2) = 8.
    expect(run(new GlobalAveragePooling2D(), x)).toEqual([
      [2, 2],
      [1.5, -0.5, -1.5, 0.5],
    ]);
    expect(run(new GlobalMaxPooling2D(), x)).toEqual([
      [2, 2],
      [6, 4, 3, 8],
    ]);
    expect(run(new GlobalAveragePooling2D({ keepdims: true }), x)).toEqual([
      [2, 1, 1, 2],
      [1.5, -0.5, -1.5, 0.5],
    ]);
    expect(run(new GlobalMaxPooling2D({ keepdims: true }), x)).toEqual([
      [2, 1, 1, 2],
      [6, 4, 3, 8],
    ]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('pools over h and w in channels_first', () => {
    // The same numbers read as [batch, c, h, w]: channel 0 = [[1, -8], [2, 4]], channel 1 = [[-3, 0], [6, 2]].
    const x = tf.tensor4d(data, [2, 2, 2, 2]);
    const cf = { dataFormat: 'channels_first' as const };
    // avg ch0 = -1 / 4 = -0.25, ch1 = 5 / 4 = 1.25; max ch0 = 4, ch1 = 6.
    // Negated: avg [0.25, -1.25]; max ch0 = max(-1, 8, -2, -4) = 8, ch1 = max(3, 0, -6, -2) = 3.
    expect(run(new GlobalAveragePooling2D(cf), x)).toEqual([
      [2, 2],
      [-0.25, 1.25, 0.25, -1.25],
    ]);
    expect(run(new GlobalMaxPooling2D(cf), x)).toEqual([
      [2, 2],
      [4, 6, 8, 3],
    ]);
    expect(run(new GlobalAveragePooling2D({ ...cf, keepdims: true }), x)).toEqual([
      [2, 2, 1, 1],
      [-0.25, 1.25, 0.25, -1.25],
    ]);
    expect(run(new GlobalMaxPooling2D({ ...cf, keepdims: true }), x)).toEqual([
      [2, 2, 1, 1],
      [4, 6, 8, 3],
    ]);
    x.dispose();
  });

  it('infers symbolic output shapes for both formats and keepdims', () => {
    const last = Input({ shape: [5, 6, 3] });
    const first = Input({ shape: [3, 5, 6] });
    const shape = (t: KerasTensor | KerasTensor[]) => (t as KerasTensor).shape;
    expect(shape(new GlobalAveragePooling2D().apply(last))).toEqual([null, 3]);
    expect(shape(new GlobalMaxPooling2D({ keepdims: true }).apply(last))).toEqual([null, 1, 1, 3]);
    expect(
      shape(new GlobalAveragePooling2D({ dataFormat: 'channels_first' }).apply(first)),
    ).toEqual([null, 3]);
    expect(
      shape(new GlobalMaxPooling2D({ dataFormat: 'channels_first', keepdims: true }).apply(first)),
    ).toEqual([null, 3, 1, 1]);
  });
});

describe('GlobalAveragePooling3D / GlobalMaxPooling3D (hand-computed)', () => {
  const data = [1, 10, 2, 20, 3, 30, 4, -40];

  it('pools over d, h and w in channels_last', () => {
    // [1, d=2, h=1, w=2, c=2]: channel 0 = 1, 2, 3, 4; channel 1 = 10, 20, 30, -40.
    const x = tf.tensor5d(data, [1, 2, 1, 2, 2]);
    // avg [2.5, 20 / 4 = 5]; max [4, 30].
    expect(run(new GlobalAveragePooling3D(), x)).toEqual([
      [1, 2],
      [2.5, 5],
    ]);
    expect(run(new GlobalMaxPooling3D(), x)).toEqual([
      [1, 2],
      [4, 30],
    ]);
    expect(run(new GlobalAveragePooling3D({ keepdims: true }), x)).toEqual([
      [1, 1, 1, 1, 2],
      [2.5, 5],
    ]);
    expect(run(new GlobalMaxPooling3D({ keepdims: true }), x)).toEqual([
      [1, 1, 1, 1, 2],
      [4, 30],
    ]);
    x.dispose();
  });

  it('pools over d, h and w in channels_first', () => {
    // [1, c=2, d=2, h=1, w=2]: channel 0 = 1, 10, 2, 20; channel 1 = 3, 30, 4, -40.
    const x = tf.tensor5d(data, [1, 2, 2, 1, 2]);
    const cf = { dataFormat: 'channels_first' as const };
    // avg [33 / 4 = 8.25, -3 / 4 = -0.75]; max [20, 30].
    expect(run(new GlobalAveragePooling3D(cf), x)).toEqual([
      [1, 2],
      [8.25, -0.75],
    ]);
    expect(run(new GlobalMaxPooling3D(cf), x)).toEqual([
      [1, 2],
      [20, 30],
    ]);
    expect(run(new GlobalAveragePooling3D({ ...cf, keepdims: true }), x)).toEqual([
      [1, 2, 1, 1, 1],
      [8.25, -0.75],
    ]);
    expect(run(new GlobalMaxPooling3D({ ...cf, keepdims: true }), x)).toEqual([
      [1, 2, 1, 1, 1],
      [20, 30],
    ]);
    x.dispose();
  });

  it('infers symbolic output shapes and rejects inputs of the wrong rank', () => {
    const first = Input({ shape: [4, 2, 3, 5] });
    expect(
      (new GlobalAveragePooling3D({ dataFormat: 'channels_first' }).apply(first) as KerasTensor)
        .shape,
    ).toEqual([null, 4]);
    expect((new GlobalMaxPooling3D({ keepdims: true }).apply(first) as KerasTensor).shape).toEqual([
      null,
      1,
      1,
      1,
      5,
    ]);
    const x = tf.zeros([1, 2, 2, 2]);
    expect(() => new GlobalMaxPooling3D({ name: 'gmp3' }).apply(x)).toThrow(
      "GlobalMaxPooling3D 'gmp3': expected input with rank 5, received shape [1, 2, 2, 2].",
    );
    x.dispose();
  });
});
