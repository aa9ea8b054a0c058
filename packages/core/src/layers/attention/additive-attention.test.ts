import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import { setMask } from '../../engine/mask.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { closeness, loadReference, outputsOf } from '../rnn/reference-fixture.js';
import { AdditiveAttention } from './additive-attention.js';

beforeAll(async () => {
  await ready();
});

describe('AdditiveAttention', () => {
  it('passes the layer harness', () => {
    runLayerTest(AdditiveAttention, {
      initArgs: {},
      inputShape: [
        [2, 3, 4],
        [2, 5, 4],
      ],
      expectedOutputShape: [2, 3, 4],
      expectedNumTrainableWeights: 1,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('matches the torch reference with a value mask taken from the input (as Embedding attaches it)', () => {
    const ref = loadReference('dense_attention');
    const layer = new AdditiveAttention();
    tf.tidy(() => {
      const [q, v, k] = [ref.get('query'), ref.get('value'), ref.get('key')];
      setMask(v, tf.cast(ref.get('value_mask'), 'bool'));
      layer.apply([q, v, k]);
      expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([['scale', [4]]]);
      layer.setWeights([ref.get('additive_scale')]);
      const [out, scores] = outputsOf(layer.apply([q, v, k], { returnAttentionScores: true }));
      expect(closeness(out as tf.Tensor, ref.get('out_additive'))).toBeLessThanOrEqual(0);
      expect(closeness(scores as tf.Tensor, ref.get('scores_additive'))).toBeLessThanOrEqual(0);
    });
    expect(layer.getConfig()).toMatchObject({ use_scale: true, dropout: 0 });
    expect(layer.getConfig()).not.toHaveProperty('score_mode');
    layer.dispose();
  });

  it('gradients match finite differences', () => {
    const layer = new AdditiveAttention();
    const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 1);
    const v = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 2);
    expect(checkGradientsNumerically(layer, [q, v]).length).toBeGreaterThan(0);
    tf.dispose([q, v]);
    layer.dispose();
  });
});
