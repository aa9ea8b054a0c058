import { beforeAll, describe, expect, it } from 'vitest';
import { backend, layers, metrics, optimizers, Sequential, tf } from '../index.js';

beforeAll(async () => {
  await backend.ready();
});

function compiled(optimizer: string | optimizers.Optimizer): Sequential {
  const model = new Sequential([
    new layers.Dense({ units: 4, activation: 'relu', inputShape: [3] }),
    new layers.Dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({
    optimizer,
    loss: 'sparse_categorical_crossentropy',
    metrics: ['accuracy', new metrics.SparseTopKCategoricalAccuracy({ k: 1 })],
  });
  return model;
}

describe('Model.dispose after compile and training', () => {
  it('frees the weights, the metric state and an optimizer compile created', async () => {
    const x = tf.randomNormal([8, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1]);
    const before = tf.memory().numTensors;
    const model = compiled('adam');
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    await model.evaluate(x, y, { verbose: 0 });
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(model.compiled).toBe(false);
    tf.dispose([x, y]);
  });

  it('leaves an optimizer instance it was given to its owner (it may be shared)', async () => {
    const x = tf.randomNormal([8, 3], 0, 1, 'float32', 2);
    const y = tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1]);
    const adam = new optimizers.Adam({ learningRate: 0.01 });
    const model = compiled(adam);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const slots = adam.variables().length;
    model.dispose();
    expect(adam.variables().length).toBe(slots);
    expect(adam.iterations).toBe(2);
    const before = tf.memory().numTensors;
    adam.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
    tf.dispose([x, y]);
  });
});
