import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import * as regularizers from './index.js';

beforeAll(async () => {
  await ready();
});

const value = (r: regularizers.Regularizer, w: number[][]): number =>
  tf.tidy(() => r.call(tf.tensor2d(w)).dataSync()[0] as number);

describe('regularizers', () => {
  const w = [
    [1, -2],
    [3, 0],
  ];
  it('l1, l2 and l1l2 are factor * sum(|w|) and factor * sum(w^2) (hand-derived)', () => {
    expect(value(regularizers.l1(0.1), w)).toBeCloseTo(0.6, 6);
    expect(value(regularizers.l2(0.1), w)).toBeCloseTo(1.4, 6);
    expect(value(regularizers.l1l2({ l1: 0.1, l2: 0.01 }), w)).toBeCloseTo(0.6 + 0.14, 6);
    expect(value(regularizers.get('l2'), w)).toBeCloseTo(0.14, 6); // Keras default factor 0.01
  });

  it('orthogonal: factor * 0.5 * sum|off-diagonal of V V^T| / pairs, for unit rows or columns', () => {
    // Rows [1, 0] and [1, 1]/sqrt2: off-diagonal products 1/sqrt2 twice, one pair.
    expect(
      value(regularizers.orthogonal({ factor: 0.01 }), [
        [1, 0],
        [1, 1],
      ]),
    ).toBeCloseTo(0.01 * 0.5 * Math.SQRT2, 6);
    // Columns [1, 1]/sqrt2 and [0, 1]: the same geometry.
    expect(
      value(regularizers.orthogonal({ factor: 0.01, mode: 'columns' }), [
        [1, 0],
        [1, 1],
      ]),
    ).toBeCloseTo(0.01 * 0.5 * Math.SQRT2, 6);
    expect(
      value(regularizers.orthogonal(), [
        [1, 0],
        [0, 2],
      ]),
    ).toBeCloseTo(0, 7);
    expect(() => regularizers.orthogonal().call(tf.ones([2, 2, 2]))).toThrow(
      /expected a rank-2 weight, received shape \[2,2,2\]/,
    );
  });

  it('serializes to Keras dicts and back', () => {
    for (const r of [
      regularizers.l1(0.2),
      regularizers.l2(0.3),
      regularizers.l1l2({ l1: 0.1, l2: 0.2 }),
      regularizers.orthogonal({ factor: 0.5, mode: 'columns' }),
    ]) {
      const dict = JSON.parse(JSON.stringify(regularizers.serialize(r)));
      expect(dict.module).toBe('keras.regularizers');
      expect(regularizers.serialize(regularizers.get(dict))).toEqual(dict);
    }
    expect(regularizers.serialize(regularizers.l1l2({ l1: 0.1, l2: 0.2 })).config).toEqual({
      l1: 0.1,
      l2: 0.2,
    });
  });
});
