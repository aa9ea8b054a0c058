import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../../backend/backend.js';
import { closeness, loadReference } from '../rnn/reference-fixture.js';
import { causalMask, combineMasks, headAttention, maskedSoftmax } from './attention-math.js';

beforeAll(async () => {
  await ready();
});

describe('attention math', () => {
  it('causalMask is lower triangular, also for tq != tv', () => {
    tf.tidy(() => {
      expect(causalMask(2, 3).arraySync()).toEqual([
        [
          [1, 0, 0],
          [1, 1, 0],
        ],
      ]);
    });
  });

  it('maskedSoftmax ignores masked scores and zeroes fully masked rows', () => {
    tf.tidy(() => {
      const scores = tf.tensor2d([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const mask = tf.tensor2d([
        [1, 1, 0],
        [0, 0, 0],
      ]);
      const out = maskedSoftmax(scores, mask).arraySync() as number[][];
      const e = Math.exp(1) / (Math.exp(1) + Math.exp(2));
      expect(out[0]?.[0]).toBeCloseTo(e, 6);
      expect(out[0]?.[2]).toBe(0);
      expect(out[1]).toEqual([0, 0, 0]);
    });
  });

  it('combineMasks multiplies with broadcasting and returns null for none', () => {
    tf.tidy(() => {
      expect(combineMasks(null, undefined)).toBeNull();
      const m = combineMasks(tf.tensor2d([[1, 0]]), tf.tensor2d([[1], [1]])) as tf.Tensor;
      expect(m.arraySync()).toEqual([
        [1, 0],
        [1, 0],
      ]);
    });
  });

  it('headAttention with one head equals the hand-written dot attention (torch fixture)', () => {
    const ref = loadReference('dense_attention');
    tf.tidy(() => {
      const q = tf.expandDims(ref.get('query'), 2);
      const k = tf.expandDims(ref.get('key'), 2);
      const v = tf.expandDims(ref.get('value'), 2);
      const plain = headAttention(q, k, v, { scale: 1 });
      expect(closeness(tf.squeeze(plain.output, [2]), ref.get('out_dot'))).toBeLessThanOrEqual(0);
      expect(closeness(tf.squeeze(plain.scores, [1]), ref.get('scores_dot'))).toBeLessThanOrEqual(
        0,
      );
      const causal = headAttention(q, k, v, { scale: 1, mask: causalMask(3, 5) });
      expect(closeness(tf.squeeze(causal.output, [2]), ref.get('out_causal'))).toBeLessThanOrEqual(
        0,
      );
    });
  });
});
