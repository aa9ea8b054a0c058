import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import { LSTM } from './lstm.js';
import { LSTMCell } from './lstm-cell.js';
import { closeness, loadReference, outputsOf, type ReferenceFixture } from './reference-fixture.js';

beforeAll(async () => {
  await ready();
});

/** torch nn.LSTM parameters -> Keras [kernel, recurrent_kernel, bias]: transposes, b_ih + b_hh (gate order i,f,g,o = i,f,c,o). */
function kerasWeights(ref: ReferenceFixture): tf.Tensor[] {
  return [
    tf.transpose(ref.get('weight_ih_l0')),
    tf.transpose(ref.get('weight_hh_l0')),
    tf.add(ref.get('bias_ih_l0'), ref.get('bias_hh_l0')),
  ];
}

describe('LSTM', () => {
  const ref = loadReference('lstm');

  it('matches torch nn.LSTM (sequences, last h and c) to 1e-5', () => {
    const layer = new LSTM({ units: 4, returnSequences: true, returnState: true });
    tf.tidy(() => {
      const x = ref.get('x');
      layer.apply(x);
      layer.setWeights(kerasWeights(ref));
      const [seq, h, c] = outputsOf(layer.apply(x));
      expect(closeness(seq as tf.Tensor, ref.get('sequences'))).toBeLessThanOrEqual(0);
      expect(closeness(h as tf.Tensor, ref.get('last_h'))).toBeLessThanOrEqual(0);
      expect(closeness(c as tf.Tensor, ref.get('last_c'))).toBeLessThanOrEqual(0);
    });
    layer.dispose();
  });

  it('masked steps carry the previous output and states (torch masked loop), also backwards', () => {
    const layer = new LSTM({ units: 4, returnSequences: true, returnState: true });
    const backwards = new LSTM({
      units: 4,
      returnSequences: true,
      returnState: true,
      goBackwards: true,
    });
    tf.tidy(() => {
      const x = ref.get('x');
      const mask = tf.cast(ref.get('mask'), 'bool');
      for (const l of [layer, backwards]) {
        l.apply(x);
        l.setWeights(kerasWeights(ref));
      }
      const [seq, h, c] = outputsOf(layer.apply(x, { mask }));
      expect(closeness(seq as tf.Tensor, ref.get('masked_sequences'))).toBeLessThanOrEqual(0);
      expect(closeness(h as tf.Tensor, ref.get('masked_last_h'))).toBeLessThanOrEqual(0);
      expect(closeness(c as tf.Tensor, ref.get('masked_last_c'))).toBeLessThanOrEqual(0);
      const [bseq, bh] = outputsOf(backwards.apply(x, { mask }));
      expect(
        closeness(bseq as tf.Tensor, ref.get('masked_backwards_sequences')),
      ).toBeLessThanOrEqual(0);
      expect(closeness(bh as tf.Tensor, ref.get('masked_backwards_last_h'))).toBeLessThanOrEqual(0);
    });
    layer.dispose();
    backwards.dispose();
  });

  it('uses the Keras weight layout and unit_forget_bias initialisation', () => {
    const layer = new LSTM({ units: 3 });
    tf.tidy(() => {
      layer.apply(tf.zeros([1, 2, 5]));
    });
    expect(layer.weights.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [5, 12]],
      ['recurrent_kernel', [3, 12]],
      ['bias', [12]],
    ]);
    expect(Array.from(layer.weights[2]?.read().dataSync() ?? [])).toEqual([
      0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    ]);
    layer.dispose();
  });

  it('the cell alone computes one step: [x, h, c] -> [h, h, c]', () => {
    const cell = new LSTMCell({ units: 4 });
    tf.tidy(() => {
      const x0 = tf.squeeze(tf.slice(ref.get('x'), [0, 0, 0], [-1, 1, -1]), [1]);
      cell.apply([x0, tf.zeros([3, 4]), tf.zeros([3, 4])]);
      cell.setWeights(kerasWeights(ref));
      const [out, h] = outputsOf(cell.apply([x0, tf.zeros([3, 4]), tf.zeros([3, 4])]));
      const first = tf.squeeze(tf.slice(ref.get('sequences'), [0, 0, 0], [-1, 1, -1]), [1]);
      expect(closeness(out as tf.Tensor, first)).toBeLessThanOrEqual(0);
      expect(closeness(h as tf.Tensor, first)).toBeLessThanOrEqual(0);
    });
    cell.dispose();
  });
});
