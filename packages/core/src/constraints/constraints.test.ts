import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import * as constraints from './index.js';

beforeAll(async () => {
  await ready();
});

const apply = (c: constraints.Constraint, w: number[][]): number[][] =>
  tf.tidy(() =>
    (c.call(tf.tensor2d(w)).arraySync() as number[][]).map((r) =>
      r.map((v) => Math.round(v * 1e4) / 1e4 + 0),
    ),
  );

describe('constraints (hand-derived, column norms along axis 0 as Keras)', () => {
  // Column norms: |(3, 4)| = 5 and |(0, 1)| = 1.
  const w = [
    [3, 0],
    [4, 1],
  ];
  it('maxNorm rescales columns whose norm exceeds maxValue', () => {
    expect(apply(constraints.maxNorm({ maxValue: 2 }), w)).toEqual([
      [1.2, 0],
      [1.6, 1],
    ]);
  });
  it('minMaxNorm clips column norms into [min, max], blended by rate', () => {
    expect(apply(constraints.minMaxNorm({ minValue: 2, maxValue: 4 }), w)).toEqual([
      [2.4, 0],
      [3.2, 2],
    ]);
    // rate 0.5: desired = 0.5 * clip(n) + 0.5 * n -> 4.5 and 1.5.
    expect(apply(constraints.minMaxNorm({ minValue: 2, maxValue: 4, rate: 0.5 }), w)).toEqual([
      [2.7, 0],
      [3.6, 1.5],
    ]);
  });
  it('unitNorm makes columns unit length; nonNeg zeroes negatives', () => {
    expect(apply(constraints.unitNorm(), w)).toEqual([
      [0.6, 0],
      [0.8, 1],
    ]);
    expect(apply(constraints.unitNorm({ axis: 1 }), [[3, 4]])).toEqual([[0.6, 0.8]]);
    expect(apply(constraints.nonNeg(), [[-1, 2]])).toEqual([[0, 2]]);
  });
  it('serializes to Keras dicts and back', () => {
    for (const c of [
      constraints.maxNorm({ maxValue: 3, axis: 1 }),
      constraints.minMaxNorm({ rate: 0.5 }),
      constraints.nonNeg(),
      constraints.unitNorm(),
    ]) {
      const dict = JSON.parse(JSON.stringify(constraints.serialize(c)));
      expect(dict.module).toBe('keras.constraints');
      expect(constraints.serialize(constraints.get(dict))).toEqual(dict);
    }
    expect(constraints.get('max_norm')).toBeInstanceOf(constraints.MaxNorm);
  });
});
