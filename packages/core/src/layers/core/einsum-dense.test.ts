import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { Input } from '../../engine/input-layer.js';
import { checkGradientsNumerically } from '../../testing/check-gradients.js';
import { runLayerTest } from '../../testing/run-layer-test.js';
import { einsum } from './einsum.js';
import { analyzeEinsum, EinsumDense } from './einsum-dense.js';

beforeAll(async () => {
  await ready();
});

describe('EinsumDense', () => {
  it('passes the layer harness for plain, left-elided and multi-axis equations', () => {
    runLayerTest(EinsumDense, {
      initArgs: { equation: 'ab,bc->ac', outputShape: 4, biasAxes: 'c' },
      inputShape: [2, 3],
      expectedOutputShape: [2, 4],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
    });
    runLayerTest(EinsumDense, {
      initArgs: { equation: '...b,bc->...c', outputShape: 5, activation: 'relu' },
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 5],
      expectedNumTrainableWeights: 1,
    });
    runLayerTest(EinsumDense, {
      initArgs: { equation: 'abc,cde->abde', outputShape: [null, 2, 3], biasAxes: 'de' },
      inputShape: [2, 4, 5],
      expectedOutputShape: [2, 4, 2, 3],
      expectedNumTrainableWeights: 2,
    });
  });

  it('derives Keras shapes from the equation', () => {
    // Keras docs: EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d") on (None, 32, 128).
    expect(analyzeEinsum('abc,cd->abd', 'd', [null, 32, 128], [null, 64])).toEqual({
      kernelShape: [128, 64],
      biasShape: [64],
      fullOutputShape: [null, 32, 64],
    });
    // Keras docs: EinsumDense("abc,cde->abde", output_shape=(None, 16, 64)... here with bias on d and e.
    expect(analyzeEinsum('abc,cde->abde', 'de', [null, 32, 128], [null, 16, 64])).toEqual({
      kernelShape: [128, 16, 64],
      biasShape: [16, 64],
      fullOutputShape: [null, 32, 16, 64],
    });
    // Bias on an inner axis broadcasts over the later ones: shape [16, 1].
    expect(analyzeEinsum('abc,cde->abde', 'd', [null, 32, 128], [null, 16, 64]).biasShape).toEqual([
      16, 1,
    ]);
    expect(() => analyzeEinsum('ab,bc->ad', null, [null, 3], [4])).toThrow(/output label 'd'/);
    const symbolic = new EinsumDense({ equation: 'abc,cd->abd', outputShape: [null, 6] }).apply(
      Input({ shape: [5, 7] }),
    );
    expect(symbolic.shape).toEqual([null, 5, 6]);
  });

  it('einsum matches tfjs einsum on its supported equations', () => {
    const a = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const b = tf.randomNormal([4, 5], 0, 1, 'float32', 2);
    const c = tf.randomNormal([2, 4, 6], 0, 1, 'float32', 3);
    for (const [eq, x, y] of [
      ['abc,cd->abd', a, b],
      ['abc,acd->abd', a, c],
      ['abc,cd->adb', a, b],
      ['abc,cd->ad', a, b],
    ] as const) {
      const ours = einsum(eq, x, y);
      // tfjs's einsum cannot sum out a label; reference: contract, then sum over b.
      const ref =
        eq === 'abc,cd->ad' ? tf.sum(tf.einsum('abc,cd->abd', x, y), 1) : tf.einsum(eq, x, y);
      expect(ours.shape).toEqual(ref.shape);
      const d = tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0] as number;
      expect(d).toBeLessThan(1e-5);
      tf.dispose([ours, ref]);
    }
    const ell = einsum('...c,cd->...d', a, b);
    expect(ell.shape).toEqual([2, 3, 5]);
    tf.dispose([a, b, c, ell]);
  });

  it('has gradients that match finite differences', () => {
    const layer = new EinsumDense({
      equation: 'abc,cde->abde',
      outputShape: [null, 2, 3],
      biasAxes: 'e',
    });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 5);
    expect(checkGradientsNumerically(layer, x).length).toBeGreaterThan(6);
    x.dispose();
    layer.dispose();
  });
});
