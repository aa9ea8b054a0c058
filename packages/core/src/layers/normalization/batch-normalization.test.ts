import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { BatchNormalization } from './batch-normalization.js';
import { expectClose, loadNormFixture, type Nested, t } from './fixtures.js';

interface BnFixture {
  epsilon: number;
  x: Nested;
  gamma: Nested;
  beta: Nested;
  moving_mean: Nested;
  moving_variance: Nested;
  y: Nested;
  moving_mean_after?: Nested;
  moving_variance_after?: Nested;
}

beforeAll(async () => {
  await ready();
});

function loaded(f: BnFixture): { layer: BatchNormalization; x: tf.Tensor } {
  const layer = new BatchNormalization();
  const x = t(f.x);
  layer.build(x.shape);
  layer.built = true;
  // Keras weight order: gamma, beta, moving_mean, moving_variance (torch: weight, bias, running_*).
  const values = [f.gamma, f.beta, f.moving_mean, f.moving_variance].map(t);
  layer.setWeights(values);
  tf.dispose(values);
  return { layer, x };
}

describe('BatchNormalization', () => {
  it('passes runLayerTest (training step, config round trip) and finite-difference gradients', () => {
    runLayerTest(BatchNormalization, {
      initArgs: { axis: -1, momentum: 0.9 },
      inputShape: [3, 4, 5],
      callArgs: { training: true },
      expectedOutputShape: [3, 4, 5],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 2,
      supportsMasking: true,
    });
    const layer = new BatchNormalization();
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 3);
    expect(checkGradientsNumerically(layer, x).length).toBeGreaterThan(0);
    expect(
      checkGradientsNumerically(layer, x, { callArgs: { training: true } }).length,
    ).toBeGreaterThan(0);
    x.dispose();
    layer.dispose();
  });

  it('has Keras weight order and trainability', () => {
    const layer = new BatchNormalization();
    const y = layer.apply(tf.ones([2, 3]));
    expect(layer.weights.map((w) => w.name)).toEqual([
      'gamma',
      'beta',
      'moving_mean',
      'moving_variance',
    ]);
    expect(layer.trainableWeights.map((w) => w.name)).toEqual(['gamma', 'beta']);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual([
      'moving_mean',
      'moving_variance',
    ]);
    y.dispose();
    layer.dispose();
  });

  it('matches torch batch_norm in inference mode (NHWC, axis -1)', () => {
    const f = loadNormFixture<BnFixture>('batch_norm_inference');
    const { layer, x } = loaded(f);
    const y = layer.apply(x);
    expectClose(y, f.y);
    const yFalse = layer.apply(x, { training: false });
    expectClose(yFalse, f.y);
    tf.dispose([x, y, yFalse]);
    layer.dispose();
  });

  it('matches torch in one training step, including the moving-stat update', () => {
    const f = loadNormFixture<BnFixture>('batch_norm_training');
    const { layer, x } = loaded(f);
    const before = tf.memory().numTensors;
    const y = layer.apply(x, { training: true });
    expectClose(y, f.y);
    expectClose(layer.movingMean.read(), f.moving_mean_after as Nested);
    expectClose(layer.movingVariance.read(), f.moving_variance_after as Nested);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    layer.dispose();
  });

  it('runs frozen (trainable = false) in inference mode and keeps the moving stats', () => {
    const f = loadNormFixture<BnFixture>('batch_norm_inference');
    const { layer, x } = loaded(f);
    layer.trainable = false;
    const y = layer.apply(x, { training: true });
    expectClose(y, f.y);
    expectClose(layer.movingMean.read(), f.moving_mean);
    tf.dispose([x, y]);
    layer.dispose();
  });

  it('normalizes along axis 1 (channels first) with hand-derived numbers', () => {
    const layer = new BatchNormalization({ axis: 1, center: false, scale: false, epsilon: 0 });
    // Channel 0 holds [1, 3] and channel 1 [2, 6] over batch x spatial: means 2 and 4, variances 1 and 4.
    const x = tf.tensor3d([
      [[1], [2]],
      [[3], [6]],
    ]);
    const y = layer.apply(x, { training: true });
    expectClose(y, [
      [[-1], [-1]],
      [[1], [1]],
    ]);
    expect(layer.weights.map((w) => w.name)).toEqual(['moving_mean', 'moving_variance']);
    expectClose(layer.movingMean.read(), [0.02, 0.04]);
    expectClose(layer.movingVariance.read(), [0.99 + 0.01, 0.99 + 0.04]);
    tf.dispose([x, y]);
    layer.dispose();
  });

  it('ignores masked positions in the batch statistics', () => {
    const layer = new BatchNormalization({ center: false, scale: false, epsilon: 0, momentum: 0 });
    const x = tf.tensor3d([[[1], [3], [100]]]);
    const mask = tf.tensor2d([[1, 1, 0]], undefined, 'bool');
    const y = layer.apply(x, { training: true, mask });
    expectClose(layer.movingMean.read(), [2], 1e-4);
    expectClose(layer.movingVariance.read(), [1], 1e-4);
    tf.dispose([x, y, mask]);
    layer.dispose();
  });

  it('rejects a bad axis and synchronized=true with clear errors', () => {
    expect(() => new BatchNormalization({ axis: 3 }).apply(tf.zeros([2, 2]))).toThrow(
      /BatchNormalization 'batch_normalization(_\d+)?': axis 3 is out of bounds for input of rank 2/,
    );
    expect(() => new BatchNormalization({ synchronized: true })).toThrow(/synchronized=true/);
  });
});
