import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import { getMask, setMask } from '../../engine/mask.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { Dense } from '../core/dense.js';
import { closeness } from './reference-fixture.js';
import { TimeDistributed } from './time-distributed.js';

beforeAll(async () => {
  await ready();
});

describe('TimeDistributed', () => {
  it('passes the layer harness around Dense', () => {
    runLayerTest(TimeDistributed, {
      initArgs: { layer: new Dense({ units: 3 }) },
      inputShape: [2, 4, 5],
      expectedOutputShape: [2, 4, 3],
      expectedNumTrainableWeights: 2,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('applies the same weights to every step (each step equals Dense on that slice) and passes the mask on', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 3, activation: 'tanh' }) });
    tf.tidy(() => {
      const x = tf.randomNormal([2, 4, 5], 0, 1, 'float32', 11);
      const mask = tf.tensor2d([
        [true, true, false, false],
        [true, true, true, true],
      ]);
      setMask(x, mask);
      const y = td.apply(x);
      expect(y.shape).toEqual([2, 4, 3]);
      expect(getMask(y)?.arraySync()).toEqual(mask.arraySync());
      const [kernel, bias] = td.layer.weights.map((w) => w.read()) as [tf.Tensor, tf.Tensor];
      for (let t = 0; t < 4; t++) {
        const slice = tf.squeeze(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]);
        const expected = tf.tanh(tf.add(tf.matMul(slice, kernel), bias));
        expect(
          closeness(tf.squeeze(tf.slice(y, [0, t, 0], [-1, 1, -1]), [1]), expected),
        ).toBeLessThanOrEqual(0);
      }
    });
    expect((td.getConfig().layer as { class_name: string }).class_name).toBe('Dense');
    td.dispose();
  });

  it('rejects inputs without a time axis', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 3 }) });
    const x = tf.zeros([2, 5]);
    expect(() => td.apply(x)).toThrow(
      /expected input of rank >= 3 \(\[batch, time, \.\.\.\]\), received shape \[2,5\]/,
    );
    x.dispose();
    td.dispose();
  });

  it('has the gradients of the wrapped layer that finite differences give', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2, activation: 'tanh' }) });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 4);
    const results = checkGradientsNumerically(td, x, { samplesPerWeight: 3 });
    expect(new Set(results.map((r) => r.weight)).size).toBe(2);
    x.dispose();
    td.dispose();
  });
});
