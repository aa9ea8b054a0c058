import { backend, datasets, type Model, tf } from '@cornu/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HyperParameters } from '../engine/hyperparameters.js';
import { RandomSearch } from '../tuners/random-search.js';
import { HyperMLP } from './hyper-mlp.js';

let x: tf.Tensor2D;
let y: tf.Tensor1D;

beforeAll(async () => {
  await backend.ready();
  const [[xa, ya]] = await datasets.digits.loadData();
  x = tf.tidy(() =>
    tf.slice(tf.div(tf.reshape(xa, [-1, 64]), 16), [0, 0], [256, 64]),
  ) as tf.Tensor2D;
  y = tf.tidy(() => tf.cast(tf.slice(ya, [0], [256]), 'float32')) as tf.Tensor1D;
  tf.dispose([xa, ya]);
});
afterAll(() => tf.dispose([x, y]));

describe('HyperMLP', () => {
  it('builds the default architecture and registers its conditional space', () => {
    const hp = new HyperParameters();
    const model: Model = new HyperMLP({ inputDim: 64, numClasses: 10 }).build(hp);
    // defaults: one hidden Dense(64) then Dense(10): (64 * 64 + 64) + (64 * 10 + 10) = 4810
    expect(model.countParams()).toBe(4810);
    model.dispose();
    expect(hp.space.map((p) => p.name)).toEqual([
      'num_layers',
      'activation',
      'dropout',
      'batch_norm',
      'units_0',
      'units_1',
      'units_2',
      'learning_rate',
    ]);
    expect(hp.isActive('units_1')).toBe(false);
    hp.values.num_layers = 2;
    expect(hp.isActive('units_1')).toBe(true);
    expect(hp.isActive('units_2')).toBe(false);
    // two layers of 32 and 16 units with batch norm: 64*32+32 + 4*32 + 32*16+16 + 4*16 + 16*10+10
    hp.values.units_0 = 32;
    hp.values.units_1 = 16;
    hp.values.batch_norm = true;
    const deeper = new HyperMLP({ inputDim: 64, numClasses: 10 }).build(hp);
    expect(deeper.countParams()).toBe(64 * 32 + 32 + 4 * 32 + 32 * 16 + 16 + 4 * 16 + 16 * 10 + 10);
    deeper.dispose();
    expect(() => new HyperMLP({ inputDim: 64 })).toThrow(/classification needs numClasses >= 2/);
  });

  it('is searched with the batch size as a hyperparameter', async () => {
    const tuner = new RandomSearch({
      hypermodel: new HyperMLP({ inputDim: 64, numClasses: 10, maxLayers: 2 }),
      objective: 'accuracy',
      maxTrials: 3,
      seed: 2,
      verbose: false,
    });
    await tuner.search(x, y, { epochs: 2 });
    const trials = [...tuner.oracle.trials.values()];
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    expect(tuner.oracle.hyperparameters.has('batch_size')).toBe(true);
    expect(trials.every((t) => t.score! > 0 && t.score! <= 1)).toBe(true);
  });
});
