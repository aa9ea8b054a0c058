import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { Dense } from '../layers/core/dense.js';
import { Dropout } from '../layers/regularization/dropout.js';
import { BatchNormalization } from '../layers/normalization/batch-normalization.js';
import type { CallArgs } from './layer.js';
import { Model } from './model.js';

beforeAll(async () => {
  await ready();
});

class TwoLayer extends Model {
  static override readonly className = 'TwoLayer';
  hidden = new Dense({ units: 3, activation: 'relu', name: 'hidden' });
  dropout = new Dropout({ rate: 0.5, name: 'drop' });
  head = new Dense({ units: 2, name: 'head' });

  override call(x: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const h = this.hidden.apply(x as tf.Tensor, { training: args.training ?? false });
    return this.head.apply(this.dropout.apply(h, { training: args.training ?? false }));
  }
}

/** Sublayers inside an array and a plain object, plus a nested subclassed model. */
class Nested extends Model {
  static override readonly className = 'Nested';
  blocks = [new Dense({ units: 4, name: 'block_0' }), new Dense({ units: 4, name: 'block_1' })];
  parts = { norm: new BatchNormalization({ name: 'norm' }) };
  inner = new TwoLayer({ name: 'inner' });

  override call(x: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    let y = x as tf.Tensor;
    for (const block of this.blocks) y = block.apply(y);
    y = this.parts.norm.apply(y, { training: args.training ?? false });
    return this.inner.apply(y, { training: args.training ?? false });
  }
}

describe('subclassed Model', () => {
  it('tracks sublayers assigned as properties: weights in definition order, counts, summary', () => {
    const model = new TwoLayer({ name: 'two' });
    expect(model.built).toBe(false);
    expect(model.layers.map((l) => l.name)).toEqual(['hidden', 'drop', 'head']);
    const x = tf.tensor2d([[1, 2, 3, 4, 5]]);
    tf.dispose(model.apply(x)); // builds (creates the 4 weights)
    expect(model.built).toBe(true);
    const before = tf.memory().numTensors;
    const y = model.apply(x);
    expect(y.shape).toEqual([1, 2]);
    // Hand computation with the model's own weights: relu(x W1 + b1) W2 + b2.
    tf.tidy(() => {
      const [w1, b1, w2, b2] = model.weights.map((w) => w.read()) as tf.Tensor[];
      const expected = tf.add(
        tf.matMul(tf.relu(tf.add(tf.matMul(x, w1 as tf.Tensor), b1 as tf.Tensor)), w2 as tf.Tensor),
        b2 as tf.Tensor,
      );
      expect(Array.from(tf.sub(y, expected).abs().max().dataSync())[0]).toBeLessThan(1e-6);
    });
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // Built inside the model's call, so under its name scope (Keras: 'two/hidden/kernel').
    expect(model.weights.map((w) => w.path)).toEqual([
      'two/hidden/kernel',
      'two/hidden/bias',
      'two/head/kernel',
      'two/head/bias',
    ]);
    expect(model.countParams()).toBe(5 * 3 + 3 + 3 * 2 + 2);
    expect(model.trainableWeights.length).toBe(4);
    let text = '';
    model.summary((t) => {
      text = t;
    });
    expect(text).toContain('hidden (Dense)');
    expect(text).toContain('head (Dense)');
    expect(text).toContain('Total params: 26');
    x.dispose();
    model.dispose();
  });

  it('tracks layers in arrays, plain objects and nested models; freezing reaches every level', () => {
    const model = new Nested({ name: 'nested' });
    const x = tf.ones([2, 3]);
    tf.dispose(model.apply(x));
    expect(model.layers.map((l) => l.name)).toEqual(['block_0', 'block_1', 'norm', 'inner']);
    // Keras order: every trainable weight, then the non-trainable ones (BatchNorm's moving stats).
    expect(model.weights.length).toBe(2 + 2 + 4 + 4);
    expect(model.trainableWeights.length).toBe(2 + 2 + 2 + 4);
    expect(model.nonTrainableWeights.map((w) => w.path)).toEqual([
      'nested/norm/moving_mean',
      'nested/norm/moving_variance',
    ]);
    expect(model.countParams()).toBe(3 * 4 + 4 + 4 * 4 + 4 + 4 * 4 + 4 * 3 + 3 + 3 * 2 + 2);

    model.inner.trainable = false;
    expect(model.inner.hidden.trainable).toBe(false);
    expect(model.trainableWeights.length).toBe(2 + 2 + 2);
    expect(model.trainableWeights.some((w) => w.path.startsWith('nested/inner/'))).toBe(false);
    model.trainable = false;
    expect(model.trainableWeights).toEqual([]);
    expect(model.nonTrainableWeights.length).toBe(12);
    expect(model.blocks[0]?.trainableWeights).toEqual([]);
    model.trainable = true;
    expect(model.trainableWeights.length).toBe(10);
    expect(model.inner.head.kernel?.trainable).toBe(true);

    // getWeights/setWeights round trip through the nested structure.
    const values = model.getWeights();
    const doubled = values.map((v) => tf.mul(v, 2));
    model.setWeights(doubled);
    tf.tidy(() => {
      const again = model.getWeights();
      again.forEach((v, i) => {
        expect(Array.from(v.dataSync())).toEqual(Array.from((doubled[i] as tf.Tensor).dataSync()));
      });
    });
    tf.dispose([...values, ...doubled, x]);
    model.dispose();
  });

  it('gets gradients for the tracked weights', () => {
    const model = new TwoLayer();
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 1);
    tf.dispose(model.apply(x));
    const vars = model.trainableWeights.map((w) => w.value);
    const { grads } = tf.variableGrads(() => tf.sum(model.apply(x)) as tf.Scalar, vars);
    expect(Object.keys(grads).length).toBe(4);
    tf.dispose(Object.values(grads));
    x.dispose();
    model.dispose();
  });

  it('a subclassed model without call explains the fix', () => {
    class Empty extends Model {}
    const model = new Empty({ name: 'empty' });
    expect(() => tf.tidy(() => model.apply(tf.ones([1, 2])))).toThrow(
      /Empty 'empty': a Model without inputs\/outputs must override call/,
    );
  });
});
