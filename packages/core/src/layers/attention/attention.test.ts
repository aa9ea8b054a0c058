import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { closeness, loadReference, outputsOf } from '../rnn/reference-fixture.js';
import { Attention } from './attention.js';

beforeAll(async () => {
  await ready();
});

describe('Attention', () => {
  const ref = loadReference('dense_attention');

  it('passes the layer harness (dot with scale, and concat)', () => {
    runLayerTest(Attention, {
      initArgs: { useScale: true },
      inputShape: [
        [2, 3, 4],
        [2, 5, 4],
      ],
      expectedOutputShape: [2, 3, 4],
      expectedNumTrainableWeights: 1,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
    runLayerTest(Attention, {
      initArgs: { scoreMode: 'concat', dropout: 0.1 },
      inputShape: [
        [2, 3, 4],
        [2, 5, 6],
        [2, 5, 4],
      ],
      expectedOutputShape: [2, 3, 6],
      expectedNumTrainableWeights: 1,
      expectedNumNonTrainableWeights: 0,
    });
  });

  it('matches the torch reference: dot, scaled with query/value masks, causal, concat', () => {
    const dot = new Attention();
    const scaled = new Attention({ useScale: true });
    const concat = new Attention({ useScale: true, scoreMode: 'concat' });
    tf.tidy(() => {
      const [q, v, k] = [ref.get('query'), ref.get('value'), ref.get('key')];
      const [out, scores] = outputsOf(dot.apply([q, v, k], { returnAttentionScores: true }));
      expect(closeness(out as tf.Tensor, ref.get('out_dot'))).toBeLessThanOrEqual(0);
      expect(closeness(scores as tf.Tensor, ref.get('scores_dot'))).toBeLessThanOrEqual(0);
      expect(
        closeness(
          dot.apply([q, v, k], { useCausalMask: true }) as tf.Tensor,
          ref.get('out_causal'),
        ),
      ).toBeLessThanOrEqual(0);
      scaled.apply([q, v, k]);
      scaled.setWeights([tf.scalar(0.7)]);
      const masks = [
        tf.cast(ref.get('query_mask'), 'bool'),
        tf.cast(ref.get('value_mask'), 'bool'),
      ];
      const masked = scaled.apply([q, v, k], { mask: masks }) as tf.Tensor;
      expect(closeness(masked, ref.get('out_scaled_masked'))).toBeLessThanOrEqual(0);
      concat.apply([q, v, k]);
      concat.setWeights([tf.scalar(0.7), tf.scalar(1.3)]);
      expect(
        closeness(concat.apply([q, v, k]) as tf.Tensor, ref.get('out_concat')),
      ).toBeLessThanOrEqual(0);
    });
    for (const l of [dot, scaled, concat]) l.dispose();
  });

  it('writes the Keras config keys and checks its arguments', () => {
    const layer = new Attention({ useScale: true, scoreMode: 'concat', dropout: 0.2 });
    expect(layer.getConfig()).toMatchObject({
      use_scale: true,
      score_mode: 'concat',
      dropout: 0.2,
    });
    expect(() => new Attention({ scoreMode: 'add' as 'dot' })).toThrow(
      /expected scoreMode 'dot' or 'concat', received scoreMode="add"/,
    );
    const q = tf.zeros([1, 2, 3]);
    expect(() => layer.apply([q])).toThrow(
      /expected a list \[query, value\] or \[query, value, key\], received 1 input/,
    );
    tf.dispose(q);
    layer.dispose();
  });

  it('gradients of scale and concat_score_weight match finite differences', () => {
    const layer = new Attention({ useScale: true, scoreMode: 'concat' });
    const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const v = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 2);
    expect(checkGradientsNumerically(layer, [q, v]).length).toBe(2);
    tf.dispose([q, v]);
    layer.dispose();
  });
});
