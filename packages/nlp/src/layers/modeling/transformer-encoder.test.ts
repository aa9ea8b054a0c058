import { backend, getMask, layers, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignReferenceWeights, loadReference, maxAbsDiff } from './reference-fixture.js';
import { TransformerEncoder } from './transformer-encoder.js';

beforeAll(async () => {
  await backend.ready();
});

describe('TransformerEncoder', () => {
  it('passes the layer harness (post-norm and pre-norm)', () => {
    for (const normalizeFirst of [false, true]) {
      runLayerTest(TransformerEncoder, {
        initArgs: { intermediateDim: 8, numHeads: 2, normalizeFirst, dropout: 0.1 },
        inputShape: [2, 4, 6],
        expectedOutputShape: [2, 4, 6],
        // MHA 8 + 2 layer norms 4 + 2 dense 4
        expectedNumTrainableWeights: 16,
        expectedNumNonTrainableWeights: 0,
        supportsMasking: true,
      });
    }
  });

  it('uses the KerasHub sublayer names and weight order', () => {
    const encoder = new TransformerEncoder({ intermediateDim: 8, numHeads: 2 });
    encoder.maybeBuild([null, 3, 4]);
    // KerasHub's paths: the block's name scope, then the sublayer's (attention nests its denses).
    expect(encoder.weights.map((w) => w.path)).toEqual(
      [
        'self_attention_layer/query/kernel',
        'self_attention_layer/query/bias',
        'self_attention_layer/key/kernel',
        'self_attention_layer/key/bias',
        'self_attention_layer/value/kernel',
        'self_attention_layer/value/bias',
        'self_attention_layer/attention_output/kernel',
        'self_attention_layer/attention_output/bias',
        'self_attention_layer_norm/gamma',
        'self_attention_layer_norm/beta',
        'feedforward_layer_norm/gamma',
        'feedforward_layer_norm/beta',
        'feedforward_intermediate_dense/kernel',
        'feedforward_intermediate_dense/bias',
        'feedforward_output_dense/kernel',
        'feedforward_output_dense/bias',
      ].map((path) => `${encoder.name}/${path}`),
    );
    expect(encoder.sublayers.map((l) => l.name)).toEqual([
      'self_attention_layer',
      'self_attention_layer_norm',
      'self_attention_dropout',
      'feedforward_layer_norm',
      'feedforward_intermediate_dense',
      'feedforward_output_dense',
      'feedforward_dropout',
    ]);
    expect((encoder.selfAttentionLayer as layers.MultiHeadAttention).keyDim).toBe(2);
    expect(encoder.getConfig()).toMatchObject({
      intermediate_dim: 8,
      num_heads: 2,
      dropout: 0,
      activation: 'relu',
      layer_norm_epsilon: 1e-5,
      normalize_first: false,
    });
    encoder.dispose();
  });

  for (const reference of loadReference().encoder) {
    it(`matches torch.nn.TransformerEncoderLayer to 1e-5 (${reference.name})`, () => {
      const encoder = new TransformerEncoder({
        intermediateDim: reference.config.intermediateDim,
        numHeads: reference.config.numHeads,
        normalizeFirst: reference.config.normalizeFirst,
        activation: reference.config.activation,
      });
      encoder.maybeBuild(reference.inputShape);
      assignReferenceWeights(encoder, reference.weights);
      const before = tf.memory().numTensors;
      const x = tf.tensor(reference.input, reference.inputShape);
      const paddingMask = reference.paddingMask
        ? tf.tensor2d(
            reference.paddingMask,
            reference.inputShape.slice(0, 2) as [number, number],
            'int32',
          )
        : null;
      const y = encoder.apply(x, { paddingMask }) as tf.Tensor;
      expect(y.shape).toEqual(reference.inputShape);
      expect(maxAbsDiff(y, reference.output)).toBeLessThan(1e-5);
      tf.dispose([x, y, ...(paddingMask ? [paddingMask] : [])]);
      expect(tf.memory().numTensors).toBe(before);
      encoder.dispose();
    });
  }

  it('takes the padding mask from a masked input (maskZero embedding), ignoring padded keys', () => {
    const embedding = new layers.Embedding({ inputDim: 10, outputDim: 4, maskZero: true });
    const encoder = new TransformerEncoder({ intermediateDim: 8, numHeads: 2 });
    const ids = tf.tensor2d([[3, 5, 0, 0]], [1, 4], 'int32');
    const otherPadding = tf.tensor2d([[3, 5, 7, 9]], [1, 4], 'int32');
    const a = encoder.apply(embedding.apply(ids)) as tf.Tensor;
    // Changing padded tokens' content must not change the real tokens' outputs when the mask is explicit.
    const embeddedOther = embedding.apply(otherPadding);
    const mask = tf.tensor2d([[1, 1, 0, 0]], [1, 4], 'int32');
    const b = encoder.apply(embeddedOther, { paddingMask: mask }) as tf.Tensor;
    const unmasked = encoder.apply(embeddedOther) as tf.Tensor;
    const real = (t: tf.Tensor) =>
      Array.from(tf.tidy(() => tf.slice(t, [0, 0, 0], [1, 2, 4])).dataSync());
    const ra = real(a);
    real(b).forEach((v, i) => {
      expect(v).toBeCloseTo(ra[i] as number, 5);
    });
    expect(
      Math.max(...real(unmasked).map((v, i) => Math.abs(v - (ra[i] as number)))),
    ).toBeGreaterThan(1e-3);
    // The output carries the input's mask on to the next layer.
    expect(Array.from((getMask(a) as tf.Tensor).dataSync())).toEqual([1, 1, 0, 0]);
    tf.dispose([
      ids,
      otherPadding,
      a,
      b,
      unmasked,
      embeddedOther,
      mask,
      getMask(a) as tf.Tensor,
      getMask(embeddedOther) as tf.Tensor,
    ]);
    embedding.dispose();
    encoder.dispose();
  });

  it('returns attention scores and rejects a bad padding mask', () => {
    const encoder = new TransformerEncoder({ intermediateDim: 4, numHeads: 2 });
    const x = tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3);
    const [y, scores] = encoder.apply(x, { returnAttentionScores: true }) as unknown as tf.Tensor[];
    expect(y?.shape).toEqual([2, 3, 4]);
    expect(scores?.shape).toEqual([2, 2, 3, 3]);
    const rowSums = tf.sum(scores as tf.Tensor, -1);
    for (const v of rowSums.dataSync()) expect(v).toBeCloseTo(1, 5);
    const bad = tf.ones([2, 3, 3, 1]);
    expect(() => encoder.apply(x, { paddingMask: bad })).toThrow(
      /paddingMask should have shape \[batch, sequenceLength\], received shape \[2, 3, 3, 1\]/,
    );
    expect(() => new TransformerEncoder({ intermediateDim: 4, numHeads: 8 }).apply(x)).toThrow(
      /hiddenDim=4 must be >= numHeads=8/,
    );
    tf.dispose([x, y as tf.Tensor, scores as tf.Tensor, rowSums, bad]);
    encoder.dispose();
  });
});
