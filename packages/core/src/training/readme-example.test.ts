/** The README's first model (root README and the core README's training section), run as written. */
import { beforeAll, expect, it } from 'vitest';
import { backend, datasets, layers, Sequential, tf } from '../index.js';

beforeAll(async () => {
  await backend.ready();
});

it('the README first model trains with compile/fit and evaluates with returnDict', async () => {
  const [[xTrain, yTrain], [xTest, yTest]] = await datasets.digits.loadData();
  const model = new Sequential({
    layers: [
      new layers.Rescaling({ scale: 1 / 16, inputShape: [8, 8] }),
      new layers.Flatten(),
      new layers.Dense({ units: 64, activation: 'relu' }),
      new layers.Dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({
    optimizer: 'adam',
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const history = await model.fit(xTrain, yTrain, {
    epochs: 3,
    batchSize: 32,
    validationSplit: 0.1,
    verbose: 0,
  });
  expect(Object.keys(history.history).sort()).toEqual([
    'accuracy',
    'loss',
    'val_accuracy',
    'val_loss',
  ]);
  const result = await model.evaluate(xTest, yTest, { returnDict: true, verbose: 0 });
  expect(Object.keys(result).sort()).toEqual(['accuracy', 'loss']);
  expect(result.accuracy).toBeGreaterThan(0.8);
  tf.dispose([xTrain, yTrain, xTest, yTest]);
  model.dispose();
});
