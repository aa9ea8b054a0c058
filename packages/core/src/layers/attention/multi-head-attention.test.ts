import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import { setMask } from '../../engine/mask.js';
import { checkGradientsNumerically, runLayerTest } from '../../testing/index.js';
import {
  closeness,
  loadReference,
  outputsOf,
  type ReferenceFixture,
} from '../rnn/reference-fixture.js';
import { MultiHeadAttention } from './multi-head-attention.js';

beforeAll(async () => {
  await ready();
});

/**
 * torch nn.MultiheadAttention(8, 2) -> Keras MHA weights. in_proj_weight rows are [q; k; v], row
 * `head * 4 + d` of each block is output unit (head, d): Keras kernel [8, 2, 4] = block.T reshaped.
 * out_proj.weight [8, head * 4 + d] -> Keras output kernel [2, 4, 8] = weight.T reshaped.
 */
function kerasWeights(ref: ReferenceFixture): tf.Tensor[] {
  const [wq, wk, wv] = tf.split(ref.get('in_proj_weight'), 3, 0) as tf.Tensor[];
  const [bq, bk, bv] = tf.split(ref.get('in_proj_bias'), 3, 0) as tf.Tensor[];
  const kernel = (w: tf.Tensor) => tf.reshape(tf.transpose(w), [8, 2, 4]);
  const bias = (b: tf.Tensor) => tf.reshape(b, [2, 4]);
  return [
    kernel(wq as tf.Tensor),
    bias(bq as tf.Tensor),
    kernel(wk as tf.Tensor),
    bias(bk as tf.Tensor),
    kernel(wv as tf.Tensor),
    bias(bv as tf.Tensor),
    tf.reshape(tf.transpose(ref.get('out_proj_weight')), [2, 4, 8]),
    ref.get('out_proj_bias'),
  ];
}

describe('MultiHeadAttention', () => {
  it('passes the layer harness (symbolic/eager, weights, config round trip, training step, no leaks)', () => {
    runLayerTest(MultiHeadAttention, {
      initArgs: { numHeads: 2, keyDim: 3 },
      inputShape: [
        [2, 4, 5],
        [2, 6, 5],
      ],
      expectedOutputShape: [2, 4, 5],
      expectedNumTrainableWeights: 8,
      expectedNumNonTrainableWeights: 0,
      supportsMasking: true,
    });
    runLayerTest(MultiHeadAttention, {
      initArgs: { numHeads: 2, keyDim: 3, valueDim: 2, outputShape: 7, useBias: false },
      inputShape: [
        [2, 4, 5],
        [2, 6, 5],
        [2, 6, 3],
      ],
      expectedOutputShape: [2, 4, 7],
      expectedNumTrainableWeights: 4,
      expectedNumNonTrainableWeights: 0,
    });
  });

  it('uses the Keras 3 weight layout', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4, valueDim: 3 });
    layer.build([
      [null, 6, 8],
      [null, 5, 7],
    ]);
    expect(layer.weights.map((w) => [w.path, w.shape])).toEqual([
      ['query/kernel', [8, 2, 4]],
      ['query/bias', [2, 4]],
      ['key/kernel', [7, 2, 4]],
      ['key/bias', [2, 4]],
      ['value/kernel', [7, 2, 3]],
      ['value/bias', [2, 3]],
      ['attention_output/kernel', [2, 3, 8]],
      ['attention_output/bias', [8]],
    ]);
    expect(layer.getConfig()).toMatchObject({
      num_heads: 2,
      key_dim: 4,
      value_dim: 3,
      attention_axes: [1],
      output_shape: null,
    });
    layer.dispose();
  });

  it('matches torch nn.MultiheadAttention to 1e-5: plain, value-masked (with scores) and causal', () => {
    const ref = loadReference('multi_head_attention');
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 4 });
    tf.tidy(() => {
      const query = ref.get('query');
      const value = ref.get('value');
      layer.apply([query, value]);
      layer.setWeights(kerasWeights(ref));
      const [out, scores] = outputsOf(layer.apply([query, value], { returnAttentionScores: true }));
      expect(closeness(out as tf.Tensor, ref.get('output'))).toBeLessThanOrEqual(0);
      expect(closeness(scores as tf.Tensor, ref.get('scores'))).toBeLessThanOrEqual(0);
      // The value's mask (as an Embedding would attach it) becomes the key padding mask.
      const maskedValue = tf.clone(value);
      setMask(maskedValue, tf.cast(ref.get('value_mask'), 'bool'));
      const [mout, mscores] = outputsOf(
        layer.apply([query, maskedValue], { returnAttentionScores: true }),
      );
      expect(closeness(mout as tf.Tensor, ref.get('output_masked'))).toBeLessThanOrEqual(0);
      expect(closeness(mscores as tf.Tensor, ref.get('scores_masked'))).toBeLessThanOrEqual(0);
      const self = ref.get('self_input');
      const causal = layer.apply([self, self], { useCausalMask: true }) as tf.Tensor;
      expect(closeness(causal, ref.get('output_causal'))).toBeLessThanOrEqual(0);
      // An explicit attentionMask equal to the causal one gives the same result.
      const explicit = layer.apply([self, self], {
        attentionMask: tf.linalg.bandPart(tf.ones([5, 5]), -1, 0),
      }) as tf.Tensor;
      expect(closeness(explicit, ref.get('output_causal'))).toBeLessThanOrEqual(0);
    });
    layer.dispose();
  });

  it('reproduces the MultiHeadAttention block of the Keras 3 transformer_block.keras fixture to 1e-5', () => {
    const ref = loadReference('keras3_transformer_block');
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' });
    tf.tidy(() => {
      const x = tf.reshape(ref.get('input/seq'), [-1, 6, 8]);
      mha.apply([x, x]);
      const dense = (name: string) =>
        ['kernel', 'bias'].map((_, i) => ref.get(`layers/multi_head_attention/${name}/vars/${i}`));
      mha.setWeights([
        ...dense('query_dense'),
        ...dense('key_dense'),
        ...dense('value_dense'),
        ...dense('output_dense'),
      ]);
      const a = mha.apply([x, x]) as tf.Tensor;
      // The rest of the block by hand: Add, LayerNormalization(eps 1e-3), Dense(gelu, erf), GAP1D, Dense.
      const y = tf.add(x, a);
      const { mean, variance } = tf.moments(y, -1, true);
      const normed = tf.add(
        tf.mul(
          tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, 1e-3))),
          ref.get('layers/layer_normalization/vars/0'),
        ),
        ref.get('layers/layer_normalization/vars/1'),
      );
      const pre = tf.add(
        tf.matMul(tf.reshape(normed, [-1, 8]), ref.get('layers/dense/vars/0')),
        ref.get('layers/dense/vars/1'),
      );
      const gelu = tf.mul(tf.mul(pre, 0.5), tf.add(1, tf.erf(tf.div(pre, Math.SQRT2))));
      const pooled = tf.mean(tf.reshape(gelu, [-1, 6, 8]), 1);
      const out = tf.add(
        tf.matMul(pooled, ref.get('layers/dense_1/vars/0')),
        ref.get('layers/dense_1/vars/1'),
      );
      expect(closeness(out, ref.values('output/out'))).toBeLessThanOrEqual(0);
    });
    mha.dispose();
  });

  it('query masks zero nothing but propagate; attention over two axes matches the flattened sequence', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 3, attentionAxes: [1, 2] });
    const flat = new MultiHeadAttention({ numHeads: 2, keyDim: 3 });
    tf.tidy(() => {
      const x = tf.randomNormal([2, 2, 3, 4], 0, 1, 'float32', 3);
      const out = layer.apply([x, x]) as tf.Tensor;
      const xf = tf.reshape(x, [2, 6, 4]);
      flat.apply([xf, xf]);
      flat.setWeights(layer.getWeights());
      const ref = flat.apply([xf, xf]) as tf.Tensor;
      expect(closeness(tf.reshape(out, [2, 6, 4]), ref)).toBeLessThanOrEqual(0);
    });
    layer.dispose();
    flat.dispose();
  });

  it('gradients match finite differences on the wasm engine', () => {
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2 });
    const q = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 5);
    const v = tf.randomNormal([2, 4, 4], 0, 1, 'float32', 6);
    // The key bias adds q·b to every score of a query, which the softmax cancels: zero by design.
    const results = checkGradientsNumerically(layer, [q, v], {
      samplesPerWeight: 3,
      zeroGradientWeights: ['key/bias'],
    });
    expect(results.length).toBe(24);
    tf.dispose([q, v]);
    layer.dispose();
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => new MultiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow(
      /expected numHeads to be a positive integer, received numHeads=0/,
    );
    expect(() => new MultiHeadAttention({ numHeads: 2, keyDim: 2, useGate: true })).toThrow(
      /useGate=true/,
    );
    const layer = new MultiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [3] });
    expect(() => layer.build([null, 4, 5])).toThrow(
      /attentionAxes must lie between 1 and 1.*received attentionAxes=\[3\]/,
    );
    layer.dispose();
  });
});
