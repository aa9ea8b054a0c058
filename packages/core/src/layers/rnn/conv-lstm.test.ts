import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { Input } from '../../engine/input-layer.js';
import { checkGradientsNumerically } from '../../testing/check-gradients.js';
import { runLayerTest } from '../../testing/run-layer-test.js';
import { ConvLSTM1D } from './conv-lstm1d.js';
import { ConvLSTM2D } from './conv-lstm2d.js';
import { ConvLSTM3D } from './conv-lstm3d.js';
import { closeness, loadReference, outputsOf } from './reference-fixture.js';

beforeAll(async () => {
  await ready();
});

describe('ConvLSTM2D', () => {
  const ref = loadReference('conv_lstm2d');

  it('matches the torch F.conv2d ConvLSTM loop (Keras layout weights) to 1e-5', () => {
    const layer = new ConvLSTM2D({
      filters: 3,
      kernelSize: 3,
      padding: 'same',
      returnSequences: true,
      returnState: true,
    });
    tf.tidy(() => {
      const x = ref.get('x');
      layer.apply(x);
      expect(layer.weights.map((w) => [w.path.split('/').at(-1), w.shape])).toEqual([
        ['kernel', [3, 3, 2, 12]],
        ['recurrent_kernel', [3, 3, 3, 12]],
        ['bias', [12]],
      ]);
      layer.setWeights([ref.get('kernel'), ref.get('recurrent_kernel'), ref.get('bias')]);
      const [seq, h, c] = outputsOf(layer.apply(x));
      expect(seq?.shape).toEqual([2, 3, 5, 5, 3]);
      expect(closeness(seq as tf.Tensor, ref.get('sequences'))).toBeLessThanOrEqual(0);
      const last = tf.squeeze(
        tf.slice(ref.get('sequences'), [0, 2, 0, 0, 0], [-1, 1, -1, -1, -1]),
        [1],
      );
      expect(closeness(h as tf.Tensor, last)).toBeLessThanOrEqual(0);
      expect(c?.shape).toEqual([2, 5, 5, 3]);
    });
    expect(layer.countParams()).toBe(3 * 3 * 2 * 12 + 3 * 3 * 3 * 12 + 12);
    layer.dispose();
  });

  it('passes the layer harness (valid padding, strides, config round trip) and infers shapes symbolically', () => {
    const report = runLayerTest(ConvLSTM2D, {
      initArgs: { filters: 2, kernelSize: [3, 2], strides: [2, 1], returnSequences: true },
      inputShape: [2, 3, 7, 5, 2],
      expectedOutputShape: [2, 3, 3, 4, 2],
      expectedNumTrainableWeights: 3,
      supportsMasking: true,
    });
    expect(report.config).toMatchObject({
      filters: 2,
      kernel_size: [3, 2],
      strides: [2, 1],
      padding: 'valid',
      data_format: 'channels_last',
      dilation_rate: [1, 1],
      recurrent_activation: 'sigmoid',
      unit_forget_bias: true,
      return_sequences: true,
    });
    expect(report.config.cell).toBeUndefined();
    const layer = new ConvLSTM2D({ filters: 4, kernelSize: 3, padding: 'same' });
    expect(layer.apply(Input({ shape: [null, 8, 8, 1] })).shape).toEqual([null, 8, 8, 4]);
    layer.dispose();
  });

  it('has gradients that match finite differences on the wasm engine', () => {
    const layer = new ConvLSTM2D({
      filters: 2,
      kernelSize: 2,
      padding: 'same',
      biasInitializer: 'glorot_uniform',
    });
    const x = tf.randomNormal([1, 2, 3, 3, 2], 0, 1, 'float32', 5);
    const results = checkGradientsNumerically(layer, x, { samplesPerWeight: 4 });
    expect(results.length).toBe(12);
    x.dispose();
    layer.dispose();
  });

  it('names the layer, the expected and the received shape on a rank mismatch', () => {
    const layer = new ConvLSTM2D({ filters: 2, kernelSize: 3, name: 'clstm' });
    expect(() => layer.apply(Input({ shape: [4, 8, 3] }))).toThrow(
      /ConvLSTM2D 'clstm': expected input of rank 5 \(\[batch, time, \.\.\.2 spatial, channels\]\), received shape \[null, 4, 8, 3\]/,
    );
  });
});

describe('ConvLSTM3D and ConvLSTM1D', () => {
  const ref = loadReference('conv_lstm2d');

  it('ConvLSTM3D with a depth-1 kernel on depth-1 volumes reproduces the torch ConvLSTM2D reference', () => {
    const layer = new ConvLSTM3D({
      filters: 3,
      kernelSize: [1, 3, 3],
      padding: 'same',
      returnSequences: true,
    });
    tf.tidy(() => {
      const x = tf.expandDims(ref.get('x'), 2); // [2, 3, 1, 5, 5, 2]
      layer.apply(x);
      layer.setWeights([
        tf.expandDims(ref.get('kernel'), 0),
        tf.expandDims(ref.get('recurrent_kernel'), 0),
        ref.get('bias'),
      ]);
      const seq = layer.apply(x) as tf.Tensor;
      expect(closeness(tf.squeeze(seq, [2]), ref.get('sequences'))).toBeLessThanOrEqual(0);
    });
    layer.dispose();
  });

  it('ConvLSTM1D equals ConvLSTM2D with a height-1 kernel on height-1 maps', () => {
    const one = new ConvLSTM1D({
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      dilationRate: 2,
      returnSequences: true,
    });
    const two = new ConvLSTM2D({
      filters: 2,
      kernelSize: [1, 3],
      padding: 'same',
      dilationRate: [1, 2],
      returnSequences: true,
    });
    tf.tidy(() => {
      const x = tf.randomNormal([2, 4, 7, 3], 0, 1, 'float32', 9);
      const y1 = one.apply(x) as tf.Tensor;
      two.apply(tf.expandDims(x, 2));
      two.setWeights(one.getWeights().map((w) => (w.rank > 1 ? tf.expandDims(w, 0) : w)));
      const y2 = two.apply(tf.expandDims(x, 2)) as tf.Tensor;
      expect(y1.shape).toEqual([2, 4, 7, 2]);
      expect(closeness(y1, tf.squeeze(y2, [2]), 1e-6, 1e-6)).toBeLessThanOrEqual(0);
    });
    runLayerTest(ConvLSTM1D, {
      initArgs: { filters: 2, kernelSize: 2 },
      inputShape: [2, 3, 6, 2],
      expectedOutputShape: [2, 5, 2],
      expectedNumTrainableWeights: 3,
    });
    one.dispose();
    two.dispose();
  });
});

describe('ConvLSTM dropout', () => {
  it('drops only in training, with masks shaped like the step input and the state; the cell runs alone', () => {
    const layer = new ConvLSTM2D({
      filters: 2,
      kernelSize: 3,
      padding: 'same',
      dropout: 0.5,
      recurrentDropout: 0.5,
      seed: 4,
    });
    tf.tidy(() => {
      const x = tf.randomNormal([2, 3, 4, 4, 2], 0, 1, 'float32', 12);
      const a = layer.apply(x) as tf.Tensor;
      const b = layer.apply(x) as tf.Tensor;
      expect(closeness(a, b, 0, 0)).toBeLessThanOrEqual(0);
      const trained = layer.apply(x, { training: true }) as tf.Tensor;
      expect(trained.shape).toEqual([2, 4, 4, 2]);
      expect(closeness(trained, a)).toBeGreaterThan(0);
      const step = tf.squeeze(tf.slice(x, [0, 0, 0, 0, 0], [-1, 1, -1, -1, -1]), [1]);
      const [h, , c] = layer.cell.apply([step, ...layer.cell.getInitialState(2, [4, 4, 2])], {
        training: true,
      }) as tf.Tensor[];
      expect(h?.shape).toEqual([2, 4, 4, 2]);
      expect(c?.shape).toEqual([2, 4, 4, 2]);
    });
    layer.dispose();
  });
});
