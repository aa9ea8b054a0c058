import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { runLayerTest } from '../../testing/index.js';
import {
  expectTensorClose,
  loadReferenceCases,
  torchToChannelsLast,
} from '../convolution/reference-fixtures.js';
import { AveragePooling1D } from './average-pooling1d.js';
import { AveragePooling2D } from './average-pooling2d.js';
import { AveragePooling3D } from './average-pooling3d.js';
import type { BasePooling, BasePoolingArgs } from './base-pooling.js';
import { MaxPooling1D } from './max-pooling1d.js';
import { MaxPooling2D } from './max-pooling2d.js';
import { MaxPooling3D } from './max-pooling3d.js';

beforeAll(async () => {
  await ready();
});

type PoolingClass = (new (
  args?: BasePoolingArgs,
) => BasePooling) & { className: string; fromConfig: typeof MaxPooling2D.fromConfig };
const classes: Record<string, PoolingClass> = {
  max1: MaxPooling1D,
  max2: MaxPooling2D,
  max3: MaxPooling3D,
  average1: AveragePooling1D,
  average2: AveragePooling2D,
  average3: AveragePooling3D,
};

describe('MaxPooling / AveragePooling 1D-3D', () => {
  it('MaxPooling2D passes the layer harness', () => {
    runLayerTest(MaxPooling2D, {
      initArgs: { poolSize: 2, strides: 1, padding: 'same' },
      inputShape: [2, 4, 5, 3],
      expectedOutputShape: [2, 4, 5, 3],
      expectedNumTrainableWeights: 0,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: false,
    });
  });

  for (const [key, cls] of Object.entries(classes)) {
    const rank = Number(key.slice(-1));
    it(`${cls.className} passes the layer harness`, () => {
      runLayerTest(cls, {
        initArgs: { poolSize: 2 },
        inputShape: [2, ...new Array<number>(rank).fill(4), 3],
        expectedOutputShape: [2, ...new Array<number>(rank).fill(2), 3],
        expectedNumTrainableWeights: 0,
        expectedNumNonTrainableWeights: 0,
      });
    });
  }

  for (const c of loadReferenceCases('pooling.json')) {
    it(`matches torch (${c.name})`, () => {
      const mode = c.name.startsWith('max') ? 'max' : 'average';
      const rank = Number(c.name.charAt(mode === 'max' ? 3 : 3));
      const cls = classes[`${mode}${rank}`] as PoolingClass;
      const layer = new cls({
        poolSize: c.args.pool_size as number[],
        strides: c.args.strides as number[],
        padding: c.args.padding as 'valid' | 'same',
      });
      const x = torchToChannelsLast(c.input);
      const y = layer.apply(x);
      const expected = torchToChannelsLast(c.output);
      expectTensorClose(y, expected);
      expect(layer.computeOutputShape(x.shape)).toEqual(expected.shape);
      tf.dispose([x, y, expected]);
    });
  }

  it('channels_first pools the same windows', () => {
    const x = tf.randomNormal([2, 5, 4, 3], 0, 1, 'float32', 2);
    const last = new AveragePooling2D({ poolSize: [2, 3], strides: 1, padding: 'same' });
    const first = new AveragePooling2D({
      poolSize: [2, 3],
      strides: 1,
      padding: 'same',
      dataFormat: 'channels_first',
    });
    const xFirst = tf.transpose(x, [0, 3, 1, 2]);
    const a = last.apply(x);
    const b = tf.transpose(first.apply(xFirst), [0, 2, 3, 1]);
    expectTensorClose(b, a);
    tf.dispose([x, xFirst, a, b]);
  });

  it('writes the Keras 3 config (functional_cnn pool) and reads the MaxPool2D alias', () => {
    const layer = new MaxPooling2D({ name: 'pool', poolSize: [2, 2] });
    const config = layer.getConfig();
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'pool_size',
      'padding',
      'strides',
      'data_format',
    ]);
    expect(config).toMatchObject({
      pool_size: [2, 2],
      padding: 'valid',
      strides: [2, 2],
      data_format: 'channels_last',
    });
    expect(() => new MaxPooling1D({ name: 'p', padding: 'causal' as 'same' })).toThrow(
      /MaxPooling1D 'p': argument padding must be one of 'valid', 'same'\. Received: padding='causal'/,
    );
  });
});
