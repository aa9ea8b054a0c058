/**
 * Reproduces the real Keras 3 fixture `rnn_masked.keras` (Embedding(mask_zero) -> LSTM(6,
 * return_sequences) -> GRU(5) -> Dense(2)) by building the recurrent layers by hand, setting the
 * weights read from its model.weights.h5 (see scripts/reference/rnn_attention.py), and comparing
 * with the outputs Keras 3.16.0 (GRU unmasked) and Keras 3.15.0 (mask propagated to the GRU) stored.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import { getMask, setMask } from '../../engine/mask.js';
import { GRU } from './gru.js';
import { LSTM } from './lstm.js';
import { closeness, loadReference } from './reference-fixture.js';

beforeAll(async () => {
  await ready();
});

describe('Keras 3 fixture rnn_masked.keras', () => {
  const ref = loadReference('keras3_rnn_masked');

  it('LSTM -> GRU with the Embedding mask reproduces Keras to 1e-5 (3.15 and 3.16 mask rules)', () => {
    const lstm = new LSTM({ units: 6, returnSequences: true, name: 'lstm' });
    const gru = new GRU({ units: 5, name: 'gru' });
    lstm.build([null, 7, 8]);
    gru.build([null, 7, 6]);
    tf.tidy(() => {
      lstm.setWeights(
        ['layers/lstm/cell/vars/0', 'layers/lstm/cell/vars/1', 'layers/lstm/cell/vars/2'].map(
          ref.get,
        ),
      );
      gru.setWeights(
        ['layers/gru/cell/vars/0', 'layers/gru/cell/vars/1', 'layers/gru/cell/vars/2'].map(ref.get),
      );
    });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const tokens = tf.reshape(ref.get('input/tokens'), [4, 7]);
      // Embedding(50, 8, mask_zero=True) by hand: a gather, and the mask tokens != 0.
      const embedded = tf.gather(ref.get('layers/embedding/vars/0'), tf.cast(tokens, 'int32'));
      setMask(embedded, tf.notEqual(tokens, 0));
      const seq = lstm.apply(embedded);
      expect(getMask(seq)).not.toBeNull(); // return_sequences hands the mask on (Keras <= 3.15)
      const kernel = ref.get('layers/dense/vars/0');
      const bias = ref.get('layers/dense/vars/1');
      const head = (h: tf.Tensor) => tf.add(tf.matMul(h, kernel), bias);
      // Keras 3.15.0: the GRU receives the propagated mask.
      expect(
        closeness(head(gru.apply(seq) as tf.Tensor), ref.values('output_keras_3_15/head')),
      ).toBeLessThanOrEqual(0);
      // Keras 3.16.0 (PR #23235): RNNs no longer propagate masks, the GRU steps over padding too.
      expect(
        closeness(head(gru.apply(seq, { mask: null }) as tf.Tensor), ref.values('output/head')),
      ).toBeLessThanOrEqual(0);
      expect(seq.shape).toEqual([4, 7, 6]);
    });
    expect(tf.memory().numTensors).toBe(before);
    lstm.dispose();
    gru.dispose();
  });
});
