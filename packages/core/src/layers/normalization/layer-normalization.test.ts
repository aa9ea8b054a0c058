import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { expectClose, loadNormFixture, type Nested, t } from './fixtures.js';
import { LayerNormalization } from './layer-normalization.js';

interface LnCase {
  axis: number[];
  gamma: Nested;
  beta?: Nested;
  y: Nested;
}
interface LnFixture {
  epsilon: number;
  x: Nested;
  last_axis: LnCase;
  axes_1_2: LnCase;
  rms_scaling: LnCase;
}

beforeAll(async () => {
  await ready();
});

describe('LayerNormalization', () => {
  it('passes runLayerTest and finite-difference gradients', () => {
    const report = runLayerTest(LayerNormalization, {
      initArgs: { axis: [-2, -1] },
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
    // Keras 3.15 keeps the axes as given, sorted (checked with keras.layers.LayerNormalization).
    expect(report.config.axis).toEqual([-2, -1]);
    runLayerTest(LayerNormalization, {
      initArgs: { rmsScaling: true },
      inputShape: [2, 4],
      expectedNumTrainableWeights: 1,
    });
    const layer = new LayerNormalization();
    const x = tf.randomNormal([3, 5], 0, 1, 'float32', 4);
    expect(checkGradientsNumerically(layer, x).length).toBeGreaterThan(0);
    x.dispose();
    layer.dispose();
  });

  const f = loadNormFixture<LnFixture>('layer_norm');

  it('matches torch layer_norm over the last axis', () => {
    const x = t(f.x);
    const layer = new LayerNormalization();
    layer.build(x.shape);
    layer.built = true;
    const w = [t(f.last_axis.gamma), t(f.last_axis.beta as Nested)];
    layer.setWeights(w);
    const y = layer.apply(x);
    expectClose(y, f.last_axis.y);
    expect(layer.axis).toEqual([-1]);
    tf.dispose([x, y, ...w]);
    layer.dispose();
  });

  it('matches torch layer_norm over axes [1, 2] with gamma/beta of shape [3, 4]', () => {
    const x = t(f.x);
    const layer = new LayerNormalization({ axis: [1, 2] });
    const probe = layer.apply(x);
    expect(layer.weights.map((v) => v.shape)).toEqual([
      [3, 4],
      [3, 4],
    ]);
    const w = [t(f.axes_1_2.gamma), t(f.axes_1_2.beta as Nested)];
    layer.setWeights(w);
    const y = layer.apply(x);
    expectClose(y, f.axes_1_2.y);
    tf.dispose([x, y, probe, ...w]);
    layer.dispose();
  });

  it('rms_scaling uses gamma only (Keras 3: x * rsqrt(var + eps) * gamma)', () => {
    const x = t(f.x);
    const layer = new LayerNormalization({ rmsScaling: true });
    layer.build(x.shape);
    layer.built = true;
    expect(layer.weights.map((v) => v.name)).toEqual(['gamma']);
    const g = t(f.rms_scaling.gamma);
    layer.setWeights([g]);
    const y = layer.apply(x);
    expectClose(y, f.rms_scaling.y);
    tf.dispose([x, y, g]);
    layer.dispose();
  });

  it('names the layer, axis and shape when the axis is out of bounds', () => {
    const layer = new LayerNormalization({ axis: 3, name: 'ln_1' });
    expect(() => layer.apply(tf.zeros([2, 4]))).toThrow(
      "LayerNormalization 'ln_1': axis 3 is out of bounds for input of rank 2 (shape [2, 4]). Received: axis=3.",
    );
  });
});
