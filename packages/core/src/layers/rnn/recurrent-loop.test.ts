import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { recurrentLoop } from './recurrent-loop.js';
import { closeness, loadReference } from './reference-fixture.js';

beforeAll(async () => {
  await ready();
});

/** A tanh RNN step on pre-projected inputs, from torch's nn.RNN parameters (independent of the layers). */
function torchRnn(ref: ReturnType<typeof loadReference>) {
  const kernel = tf.transpose(ref.get('weight_ih_l0'));
  const recurrent = tf.transpose(ref.get('weight_hh_l0'));
  const bias = tf.add(ref.get('bias_ih_l0'), ref.get('bias_hh_l0'));
  const x = ref.get('x');
  const [b, t, f] = x.shape as [number, number, number];
  const projected = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [b * t, f]), kernel), bias), [
    b,
    t,
    -1,
  ]);
  const step = (input: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] => {
    const h = tf.tanh(tf.add(input, tf.matMul(states[0] as tf.Tensor, recurrent)));
    return [h, [h]];
  };
  return { projected, step, zeros: [tf.zeros([b, 4])] };
}

describe('recurrentLoop', () => {
  const ref = loadReference('simple_rnn');

  it('reproduces torch nn.RNN over the whole sequence', () => {
    tf.tidy(() => {
      const { projected, step, zeros } = torchRnn(ref);
      const { outputs, lastOutput, states } = recurrentLoop(step, projected, zeros, {
        returnSequences: true,
      });
      expect(closeness(outputs as tf.Tensor, ref.get('sequences'))).toBeLessThanOrEqual(0);
      expect(closeness(lastOutput, ref.get('last_state'))).toBeLessThanOrEqual(0);
      expect(closeness(states[0] as tf.Tensor, ref.get('last_state'))).toBeLessThanOrEqual(0);
    });
  });

  it('carries output and state over masked steps, as Keras does', () => {
    tf.tidy(() => {
      const { projected, step, zeros } = torchRnn(ref);
      const mask = ref.get('mask');
      const { outputs, states } = recurrentLoop(step, projected, zeros, {
        mask,
        returnSequences: true,
      });
      expect(closeness(outputs as tf.Tensor, ref.get('masked_sequences'))).toBeLessThanOrEqual(0);
      expect(closeness(states[0] as tf.Tensor, ref.get('masked_last_state'))).toBeLessThanOrEqual(
        0,
      );
      // Sample 1 is pre-padded: its first two outputs are the zeros it started from.
      const seq = (outputs as tf.Tensor).arraySync() as number[][][];
      expect(seq[1]?.[0]).toEqual([0, 0, 0, 0]);
      const zeroed = recurrentLoop(step, projected, zeros, {
        mask,
        returnSequences: true,
        zeroOutputForMask: true,
      });
      const zeroedSeq = (zeroed.outputs as tf.Tensor).arraySync() as number[][][];
      expect(zeroedSeq[0]?.[4]?.map(Math.abs)).toEqual([0, 0, 0, 0]);
      expect(seq[0]?.[4]).toEqual(seq[0]?.[2]);
    });
  });

  it('walks backwards and returns the reversed sequence', () => {
    tf.tidy(() => {
      const { projected, step, zeros } = torchRnn(ref);
      const { outputs } = recurrentLoop(step, projected, zeros, {
        goBackwards: true,
        returnSequences: true,
      });
      expect(closeness(outputs as tf.Tensor, ref.get('backwards_sequences'))).toBeLessThanOrEqual(
        0,
      );
    });
  });

  it('rejects an empty sequence, naming the shape', () => {
    tf.tidy(() => {
      const step = (input: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] => [
        input,
        states,
      ];
      expect(() => recurrentLoop(step, tf.zeros([2, 0, 3]), [tf.zeros([2, 3])])).toThrow(
        /expected at least one timestep, received an input of shape \[2,0,3\]/,
      );
    });
  });
});
