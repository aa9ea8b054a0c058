import { beforeAll, describe, expect, it } from 'vitest';
import { backend, tf } from '../index.js';
import { SGD } from '../optimizers/sgd.js';
import { valueAndGrads } from './value-and-grads.js';

beforeAll(async () => {
  await backend.ready();
});

describe('valueAndGrads', () => {
  it('returns the value and d/dw of sum((w*x - y)^2) = 2 x (w x - y), in variable order', () => {
    const w = tf.variable(tf.tensor1d([2, -1]));
    const b = tf.variable(tf.scalar(0.5));
    const unused = tf.variable(tf.scalar(3));
    const x = tf.tensor1d([1, 3]);
    const y = tf.tensor1d([1, 1]);
    const { value, grads } = valueAndGrads(
      () => tf.sum(tf.square(tf.sub(tf.add(tf.mul(w, x), b), y))) as tf.Scalar,
      [unused, w, b],
    );
    // residuals: 2*1 + 0.5 - 1 = 1.5; -1*3 + 0.5 - 1 = -3.5 -> value 2.25 + 12.25
    expect(value.dataSync()[0]).toBeCloseTo(14.5, 5);
    expect(Array.from(grads[0]!.dataSync())).toEqual([0]);
    expect(Array.from(grads[1]!.dataSync())).toEqual([2 * 1.5 * 1, 2 * -3.5 * 3]);
    expect(grads[2]!.dataSync()[0]).toBeCloseTo(2 * (1.5 - 3.5), 5);
    tf.dispose([w, b, unused, x, y, value, ...grads]);
  });

  it('drives a hand-written loop with applyGradients and leaks nothing', () => {
    const w = tf.variable(tf.scalar(0));
    const opt = new SGD({ learningRate: 0.1 });
    const step = () =>
      tf.tidy(() => {
        const { value, grads } = valueAndGrads(() => tf.square(tf.sub(w, 3)) as tf.Scalar, [w]);
        opt.applyGradients(grads, [w]);
        return value;
      });
    step().dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) step().dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(w.dataSync()[0]).toBeCloseTo(3, 3);
    w.dispose();
    opt.dispose();
  });

  it('rejects a non-scalar value with the fix', () => {
    const w = tf.variable(tf.ones([2]));
    expect(() => valueAndGrads(() => tf.mul(w, 2) as unknown as tf.Scalar, [w])).toThrow(
      /must return a scalar tensor, received a tensor of shape \[2\]\. Fix: reduce the loss/,
    );
    expect(() => valueAndGrads(() => tf.sum(w) as tf.Scalar, [])).toThrow(/variables is empty/);
    w.dispose();
  });
});
