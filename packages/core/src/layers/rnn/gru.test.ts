import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../backend/tfjs-side-effects.js';
import { ready } from '../../backend/backend.js';
import { GRU } from './gru.js';
import { closeness, loadReference, outputsOf, type ReferenceFixture } from './reference-fixture.js';

beforeAll(async () => {
  await ready();
});

/** torch gate blocks r, z, n -> Keras order z, r, h (along axis 0 of torch's [3u, ...] parameters). */
function torchToKerasGates(t: tf.Tensor): tf.Tensor {
  const [r, z, n] = tf.split(t, 3, 0) as [tf.Tensor, tf.Tensor, tf.Tensor];
  return tf.concat([z, r, n], 0);
}

/** torch nn.GRU -> Keras GRU(resetAfter) [kernel [in,3u], recurrent_kernel [u,3u], bias [2,3u]]. */
function kerasWeights(ref: ReferenceFixture): tf.Tensor[] {
  return [
    tf.transpose(torchToKerasGates(ref.get('weight_ih_l0'))),
    tf.transpose(torchToKerasGates(ref.get('weight_hh_l0'))),
    tf.stack([torchToKerasGates(ref.get('bias_ih_l0')), torchToKerasGates(ref.get('bias_hh_l0'))]),
  ];
}

describe('GRU', () => {
  it('resetAfter=true (the Keras 3 default) matches torch nn.GRU to 1e-5, with and without a mask', () => {
    const ref = loadReference('gru');
    const layer = new GRU({ units: 4, returnSequences: true, returnState: true });
    expect(layer.cell.resetAfter).toBe(true);
    tf.tidy(() => {
      const x = ref.get('x');
      layer.apply(x);
      expect(layer.weights.map((w) => w.shape)).toEqual([
        [3, 12],
        [4, 12],
        [2, 12],
      ]);
      layer.setWeights(kerasWeights(ref));
      const [seq, h] = outputsOf(layer.apply(x));
      expect(closeness(seq as tf.Tensor, ref.get('sequences'))).toBeLessThanOrEqual(0);
      expect(closeness(h as tf.Tensor, ref.get('last_state'))).toBeLessThanOrEqual(0);
      const mask = tf.cast(ref.get('mask'), 'bool');
      const [mseq, mh] = outputsOf(layer.apply(x, { mask }));
      expect(closeness(mseq as tf.Tensor, ref.get('masked_sequences'))).toBeLessThanOrEqual(0);
      expect(closeness(mh as tf.Tensor, ref.get('masked_last_state'))).toBeLessThanOrEqual(0);
    });
    layer.dispose();
  });

  it('resetAfter=false matches the hand-written reset-before GRU (bias [3u])', () => {
    const ref = loadReference('gru_reset_before');
    const layer = new GRU({ units: 4, resetAfter: false, returnSequences: true });
    tf.tidy(() => {
      const x = ref.get('x');
      layer.apply(x);
      expect(layer.weights.map((w) => w.shape)).toEqual([[3, 12], [4, 12], [12]]);
      layer.setWeights([ref.get('kernel'), ref.get('recurrent_kernel'), ref.get('bias')]);
      expect(closeness(layer.apply(x) as tf.Tensor, ref.get('sequences'))).toBeLessThanOrEqual(0);
    });
    layer.dispose();
  });

  it('writes the Keras 3 config keys', () => {
    const layer = new GRU({ units: 5, name: 'gru' });
    const config = layer.getConfig();
    expect(config).toMatchObject({
      name: 'gru',
      return_sequences: false,
      return_state: false,
      go_backwards: false,
      stateful: false,
      unroll: false,
      zero_output_for_mask: false,
      units: 5,
      activation: 'tanh',
      recurrent_activation: 'sigmoid',
      use_bias: true,
      reset_after: true,
      dropout: 0,
      recurrent_dropout: 0,
      seed: null,
      kernel_regularizer: null,
    });
    expect(config).not.toHaveProperty('cell');
    expect((config.kernel_initializer as { class_name: string }).class_name).toBe('GlorotUniform');
    expect((config.recurrent_initializer as { class_name: string }).class_name).toBe('Orthogonal');
    const back = GRU.fromConfig(config);
    expect(back.getConfig()).toEqual(config);
    layer.dispose();
    back.dispose();
  });
});
