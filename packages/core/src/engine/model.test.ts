import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { Dense } from '../layers/core/dense.js';
import { Input } from './input-layer.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

beforeAll(async () => {
  await ready();
});

describe('Model (functional)', () => {
  it('builds a graph symbolically and runs it eagerly', () => {
    const inputs = Input({ shape: [4] });
    const hidden = new Dense({ units: 3, activation: 'relu' }).apply(inputs);
    const outputs = new Dense({ units: 2, activation: 'softmax' }).apply(hidden);
    expect(outputs.shape).toEqual([null, 2]);
    const model = new Model({ inputs, outputs, name: 'tiny' });
    expect(model.countParams()).toBe(4 * 3 + 3 + 3 * 2 + 2);
    const before = tf.memory().numTensors;
    const x = tf.ones([5, 4]);
    const y = model.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([5, 2]);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
    let text = '';
    model.summary((t) => {
      text = t;
    });
    expect(text).toContain('Total params: 23');
  });

  it('Sequential defers its build to the first call', () => {
    const model = new Sequential([new Dense({ units: 3 }), new Dense({ units: 1 })]);
    expect(model.built).toBe(false);
    const y = model.apply(tf.ones([2, 5])) as tf.Tensor;
    expect(y.shape).toEqual([2, 1]);
    expect(model.countParams()).toBe(5 * 3 + 3 + 3 + 1);
    y.dispose();
  });
});
