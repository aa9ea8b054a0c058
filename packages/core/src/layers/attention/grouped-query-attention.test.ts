import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import { closeness, loadReference, outputsOf } from '../rnn/reference-fixture.js';
import { GroupedQueryAttention } from './grouped-query-attention.js';

beforeAll(async () => {
  await ready();
});

describe('GroupedQueryAttention', () => {
  it('passes the layer harness', () => {
    runLayerTest(GroupedQueryAttention, {
      initArgs: { headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2 },
      inputShape: [
        [2, 3, 6],
        [2, 5, 6],
      ],
      expectedOutputShape: [2, 3, 6],
      expectedNumTrainableWeights: 8,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
  });

  it('matches the hand-written torch GQA (kv heads shared by consecutive query heads) to 1e-5', () => {
    const ref = loadReference('grouped_query_attention');
    const layer = new GroupedQueryAttention({ headDim: 3, numQueryHeads: 4, numKeyValueHeads: 2 });
    tf.tidy(() => {
      const [q, v] = [ref.get('query'), ref.get('value')];
      layer.apply([q, v]);
      expect(layer.weights.map((w) => w.shape)).toEqual([
        [6, 4, 3],
        [4, 3],
        [6, 2, 3],
        [2, 3],
        [6, 2, 3],
        [2, 3],
        [4, 3, 6],
        [6],
      ]);
      layer.setWeights(['wq', 'bq', 'wk', 'bk', 'wv', 'bv', 'wo', 'bo'].map(ref.get));
      const [out, scores] = outputsOf(layer.apply([q, v], { returnAttentionScores: true }));
      expect(closeness(out as tf.Tensor, ref.get('output'))).toBeLessThanOrEqual(0);
      expect(closeness(scores as tf.Tensor, ref.get('scores'))).toBeLessThanOrEqual(0);
    });
    expect(layer.getConfig()).toMatchObject({
      head_dim: 3,
      num_query_heads: 4,
      num_key_value_heads: 2,
      use_bias: true,
      dropout: 0,
    });
    layer.dispose();
  });

  it('rejects head counts that do not divide', () => {
    expect(
      () => new GroupedQueryAttention({ headDim: 2, numQueryHeads: 3, numKeyValueHeads: 2 }),
    ).toThrow(
      /numQueryHeads must be divisible by numKeyValueHeads, received numQueryHeads=3, numKeyValueHeads=2/,
    );
  });

  it('gradients match finite differences', () => {
    const layer = new GroupedQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1 });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 9);
    // The key bias adds q·b to every score of a query, which the softmax cancels: zero by design.
    const results = checkGradientsNumerically(layer, [x, x], {
      samplesPerWeight: 3,
      zeroGradientWeights: ['key/bias'],
    });
    expect(results.length).toBe(22); // 3 per weight, 2 for the [1, 2] key/value biases
    tf.dispose(x);
    layer.dispose();
  });
});
