import { backend, tf } from '@cornu/core';
import { runLayerTest } from '@cornu/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignReferenceWeights, loadReference, maxAbsDiff } from './reference-fixture.js';
import { TransformerDecoder } from './transformer-decoder.js';

beforeAll(async () => {
  await backend.ready();
});

describe('TransformerDecoder', () => {
  it('passes the layer harness, decoder-only and with cross-attention', () => {
    runLayerTest(TransformerDecoder, {
      initArgs: { intermediateDim: 8, numHeads: 2, dropout: 0.1 },
      inputShape: [2, 4, 6],
      expectedOutputShape: [2, 4, 6],
      expectedNumTrainableWeights: 16,
      supportsMasking: true,
    });
    runLayerTest(TransformerDecoder, {
      initArgs: { intermediateDim: 8, numHeads: 2, normalizeFirst: true },
      inputShape: [
        [2, 4, 6],
        [2, 3, 6],
      ],
      expectedOutputShape: [2, 4, 6],
      expectedNumTrainableWeights: 26,
      supportsMasking: true,
    });
  });

  it('uses the KerasHub sublayer names', () => {
    const decoder = new TransformerDecoder({
      intermediateDim: 8,
      numHeads: 2,
      decoderSequenceShape: [null, 3, 4],
      encoderSequenceShape: [null, 2, 4],
    });
    expect(decoder.built).toBe(true);
    expect(decoder.sublayers.map((l) => l.name)).toEqual([
      'self_attention',
      'self_attention_layer_norm',
      'self_attention_dropout',
      'cross_attention',
      'cross_attention_layer_norm',
      'cross_attention_dropout',
      'feedforward_intermediate_dense',
      'feedforward_output_dense',
      'feedforward_layer_norm',
      'feedforward_dropout',
    ]);
    expect(decoder.getConfig()).toMatchObject({
      decoder_sequence_shape: [null, 3, 4],
      encoder_sequence_shape: [null, 2, 4],
      normalize_first: false,
    });
    const rebuilt = TransformerDecoder.fromConfig(decoder.getConfig());
    expect(rebuilt.built).toBe(true);
    expect(rebuilt.weights.length).toBe(26);
    decoder.dispose();
    rebuilt.dispose();
  });

  for (const reference of loadReference().decoder) {
    it(`matches PyTorch to 1e-5 (${reference.name})`, () => {
      const decoder = new TransformerDecoder({
        intermediateDim: reference.config.intermediateDim,
        numHeads: reference.config.numHeads,
        normalizeFirst: reference.config.normalizeFirst,
        activation: reference.config.activation,
      });
      const cross = reference.encoderShape !== undefined;
      decoder.maybeBuild(
        cross ? [reference.inputShape, reference.encoderShape as number[]] : reference.inputShape,
      );
      assignReferenceWeights(decoder, reference.weights);
      const before = tf.memory().numTensors;
      const [batch, seq] = reference.inputShape as [number, number];
      const x = tf.tensor(reference.input, reference.inputShape);
      const decoderPaddingMask = tf.tensor2d(
        reference.paddingMask as number[],
        [batch, seq],
        'int32',
      );
      const tensors: tf.Tensor[] = [x, decoderPaddingMask];
      let y: tf.Tensor;
      if (cross) {
        const encoder = tf.tensor(
          reference.encoderInput as number[],
          reference.encoderShape as number[],
        );
        const encoderPaddingMask = tf.tensor2d(
          reference.encoderPaddingMask as number[],
          [batch, (reference.encoderShape as number[])[1] as number],
          'int32',
        );
        tensors.push(encoder, encoderPaddingMask);
        y = decoder.apply([x, encoder], { decoderPaddingMask, encoderPaddingMask }) as tf.Tensor;
      } else {
        y = decoder.apply(x, { decoderPaddingMask }) as tf.Tensor;
      }
      expect(maxAbsDiff(y, reference.output)).toBeLessThan(1e-5);
      tf.dispose([...tensors, y]);
      expect(tf.memory().numTensors).toBe(before);
      decoder.dispose();
    });
  }

  it('decodes step by step with self- and cross-attention caches exactly as the full causal pass', () => {
    const decoder = new TransformerDecoder({ intermediateDim: 8, numHeads: 2 });
    const [batch, seq, hidden, encoderSeq] = [2, 5, 4, 3];
    const x = tf.randomNormal([batch, seq, hidden], 0, 1, 'float32', 11);
    const encoder = tf.randomNormal([batch, encoderSeq, hidden], 0, 1, 'float32', 12);
    const full = decoder.apply([x, encoder]) as tf.Tensor;
    const headDim = hidden / 2;
    let selfCache: tf.Tensor = tf.zeros([batch, 2, seq, 2, headDim]);
    let crossCache: tf.Tensor = tf.zeros([batch, 2, encoderSeq, 2, headDim]);
    const before = tf.memory().numTensors;
    const steps: tf.Tensor[] = [];
    for (let i = 0; i < seq; i++) {
      const xi = tf.slice(x, [0, i, 0], [batch, 1, hidden]);
      const [yi, nextSelf, nextCross] = decoder.apply([xi, encoder], {
        selfAttentionCache: selfCache,
        selfAttentionCacheUpdateIndex: i,
        crossAttentionCache: crossCache,
        crossAttentionCacheUpdateIndex: i === 0 ? 0 : null,
      }) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor];
      tf.dispose([xi, selfCache, crossCache]);
      selfCache = nextSelf;
      crossCache = nextCross;
      steps.push(yi);
    }
    // Each step adds one output; the caches are replaced, not accumulated.
    expect(tf.memory().numTensors - before).toBe(seq);
    const stepped = tf.concat(steps, 1);
    expect(maxAbsDiff(stepped, Array.from(full.dataSync()))).toBeLessThan(1e-5);
    tf.dispose([x, encoder, full, selfCache, crossCache, stepped, ...steps]);
    decoder.dispose();
  });

  it('rejects a call that changes whether cross-attention is used', () => {
    const decoder = new TransformerDecoder({ intermediateDim: 4, numHeads: 1 });
    const x = tf.ones([1, 2, 4]);
    tf.dispose(decoder.apply(x));
    expect(() => decoder.apply([x, x])).toThrow(
      /built without cross-attention, but was called with an encoder sequence/,
    );
    x.dispose();
    decoder.dispose();
  });
});
