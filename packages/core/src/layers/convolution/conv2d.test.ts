import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { Conv2D } from './conv2d.js';
import {
  engineHasKernels,
  expectTensorClose,
  loadReferenceCases,
  stored,
  torchConvToKeras,
  torchToChannelsLast,
} from './reference-fixtures.js';

beforeAll(async () => {
  await ready();
});
await ready();
// Cpu and native engines may lack these; on wasm (which the backend module completes) a missing one fails the file.
const canTrain = engineHasKernels('Conv2DBackpropFilter', 'Conv2DBackpropInput');

describe('Conv2D', () => {
  it('passes the layer harness', () => {
    runLayerTest(Conv2D, {
      initArgs: { filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv_h' },
      inputShape: [2, 5, 4, 2],
      expectedOutputShape: [2, 5, 4, 3],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: false,
      runTrainingStep: canTrain,
    });
  });

  for (const c of loadReferenceCases('conv2d.json')) {
    it(`matches torch (${c.name})`, () => {
      const layer = new Conv2D({
        filters: c.args.filters as number,
        kernelSize: c.args.kernel_size as number[],
        strides: c.args.strides as number[],
        padding: c.args.padding as 'valid' | 'same',
        dilationRate: c.args.dilation_rate as number[],
        groups: c.args.groups as number,
        useBias: c.args.use_bias as boolean,
      });
      const x = torchToChannelsLast(c.input);
      layer.maybeBuild(x.shape);
      const weights = [torchConvToKeras(c.weight), ...(c.bias ? [stored(c.bias)] : [])];
      layer.setWeights(weights);
      const y = layer.apply(x);
      const expected = torchToChannelsLast(c.output);
      expectTensorClose(y, expected);
      tf.dispose([x, y, expected, ...weights]);
      layer.dispose();
    });
  }

  it('channels_first gives the channels_last result transposed', () => {
    const x = tf.randomNormal([2, 6, 5, 3], 0, 1, 'float32', 3);
    const last = new Conv2D({ filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same' });
    const first = new Conv2D({
      filters: 4,
      kernelSize: [3, 2],
      strides: 2,
      padding: 'same',
      dataFormat: 'channels_first',
    });
    const xFirst = tf.transpose(x, [0, 3, 1, 2]);
    const yLast = last.apply(x);
    first.maybeBuild(xFirst.shape);
    first.setWeights(last.getWeights());
    const yFirst = first.apply(xFirst);
    expect(first.computeOutputShape([null, 3, 6, 5])).toEqual([null, 4, 3, 3]);
    const back = tf.transpose(yFirst, [0, 2, 3, 1]);
    expectTensorClose(back, yLast);
    tf.dispose([x, xFirst, yLast, yFirst, back]);
    last.dispose();
    first.dispose();
  });

  it.runIf(canTrain)(
    'has the kernel and bias gradients finite differences give (strided, grouped)',
    () => {
      const layer = new Conv2D({
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        groups: 2,
      });
      const x = tf.randomNormal([2, 5, 5, 2], 0, 1, 'float32', 5);
      const results = checkGradientsNumerically(layer, x);
      expect(results.length).toBeGreaterThan(0);
      tf.dispose(x);
      layer.dispose();
    },
  );

  it.runIf(canTrain)('has the gradients finite differences give with dilation', () => {
    const layer = new Conv2D({ filters: 2, kernelSize: 2, dilationRate: 2 });
    const x = tf.randomNormal([1, 5, 5, 2], 0, 1, 'float32', 6);
    checkGradientsNumerically(layer, x);
    tf.dispose(x);
    layer.dispose();
  });

  it('writes the Keras 3 config keys (functional_cnn conv_a)', () => {
    const layer = new Conv2D({
      name: 'conv_a',
      filters: 4,
      kernelSize: [3, 3],
      padding: 'same',
      activation: 'relu',
    });
    const config = layer.getConfig();
    // Key order and values of the Keras 3.x file /work/shared/fixtures/keras/keras3/generated/functional_cnn.keras
    expect(Object.keys(config)).toEqual([
      'name',
      'trainable',
      'dtype',
      'filters',
      'kernel_size',
      'strides',
      'padding',
      'data_format',
      'dilation_rate',
      'groups',
      'activation',
      'use_bias',
      'kernel_initializer',
      'bias_initializer',
      'kernel_regularizer',
      'bias_regularizer',
      'activity_regularizer',
      'kernel_constraint',
      'bias_constraint',
    ]);
    expect(config).toMatchObject({
      filters: 4,
      kernel_size: [3, 3],
      strides: [1, 1],
      padding: 'same',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      groups: 1,
      activation: 'relu',
      use_bias: true,
      kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform' },
      bias_initializer: { class_name: 'Zeros' },
      kernel_regularizer: null,
    });
    const copy = Conv2D.fromConfig(config);
    expect(copy.getConfig()).toEqual(config);
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => new Conv2D({ name: 'c1', filters: 4, kernelSize: 3, padding: 'causal' })).toThrow(
      /Conv2D 'c1': argument padding must be one of 'valid', 'same'\. Received: padding='causal'/,
    );
    expect(
      () => new Conv2D({ name: 'c2', filters: 4, kernelSize: 3, strides: 2, dilationRate: 2 }),
    ).toThrow(/Conv2D 'c2': strides > 1 cannot be combined with dilationRate > 1/);
    expect(() => new Conv2D({ name: 'c3', filters: 5, kernelSize: 3, groups: 2 })).toThrow(
      /Conv2D 'c3': argument groups must be a positive integer dividing filters\. Received: groups=2, filters=5/,
    );
    const layer = new Conv2D({ name: 'c4', filters: 2, kernelSize: 5 });
    expect(() => layer.computeOutputShape([null, 3, 3, 1])).toThrow(
      /Conv2D 'c4': the input is too small for the kernel/,
    );
  });

  it('keeps the tensor count flat across repeated calls', () => {
    const layer = new Conv2D({ filters: 2, kernelSize: 3 });
    const x = tf.ones([1, 4, 4, 1]);
    tf.dispose(layer.apply(x));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(layer.apply(x));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    layer.dispose();
  });
});
