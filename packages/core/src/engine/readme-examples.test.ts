import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import * as layers from '../layers/index.js';
import { Input } from './input-layer.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

beforeAll(async () => {
  await ready();
});

/** The "Building models" examples of the core README, as written there. */
describe('README: building models', () => {
  it('Sequential, Functional (the issue example: 650 params) and subclassed models', () => {
    const seq = new Sequential([
      new layers.Dense({ units: 8, activation: 'relu' }),
      new layers.Dense({ units: 1 }),
    ]);
    seq.add(new layers.Dropout({ rate: 0.1 }));
    seq.build([null, 4]);
    expect(seq.countParams()).toBe(4 * 8 + 8 + 8 + 1);

    const inputs = Input({ shape: [28, 28, 1] });
    let x = new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(inputs);
    x = new layers.GlobalAveragePooling2D().apply(x);
    const outputs = new layers.Dense({ units: 10, activation: 'softmax' }).apply(x);
    const model = new Model({ inputs, outputs, name: 'tiny' });
    let text = '';
    model.summary((t) => {
      text = t;
    });
    expect(text).toContain('Model: "tiny"');
    expect(model.countParams()).toBe(3 * 3 * 32 + 32 + 32 * 10 + 10);

    class MyModel extends Model {
      hidden = new layers.Dense({ units: 16, activation: 'relu' });
      head = new layers.Dense({ units: 1 });
      override call(x: tf.Tensor) {
        return this.head.apply(this.hidden.apply(x));
      }
    }
    const mine = new MyModel();
    tf.tidy(() => {
      expect(mine.apply(tf.ones([2, 3])).shape).toEqual([2, 1]);
    });
    expect(mine.countParams()).toBe(3 * 16 + 16 + 16 + 1);
    for (const m of [seq, model, mine]) m.dispose();
  });
});
