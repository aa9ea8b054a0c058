/**
 * The quality bar: a small convnet trained with fit on the bundled 8x8 digits reaches at
 * least 0.97 accuracy on the held-out test split, on the default engine.
 */
import { beforeAll, expect, it } from 'vitest';
import { backend, datasets, layers, optimizers, Sequential, tf, utils } from '../index.js';

beforeAll(async () => {
  await backend.ready();
});

it('a digits convnet reaches >= 0.97 test accuracy with fit', { timeout: 120_000 }, async () => {
  utils.setRandomSeed(2);
  const [[xa, yTrain], [xb, yTest]] = await datasets.digits.loadData();
  const xTrain = tf.tidy(() => xa.expandDims(-1).div(16));
  const xTest = tf.tidy(() => xb.expandDims(-1).div(16));
  tf.dispose([xa, xb]);
  const model = new Sequential({
    layers: [
      new layers.Conv2D({
        filters: 16,
        kernelSize: 3,
        activation: 'relu',
        padding: 'same',
        inputShape: [8, 8, 1],
      }),
      new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }),
      new layers.MaxPooling2D({ poolSize: 2 }),
      new layers.Flatten(),
      new layers.Dropout({ rate: 0.3 }),
      new layers.Dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 5e-3 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const start = performance.now();
  const history = await model.fit(xTrain, yTrain, { epochs: 12, batchSize: 32, verbose: 0 });
  const seconds = (performance.now() - start) / 1000;
  const { accuracy } = await model.evaluate(xTest, yTest, { returnDict: true, verbose: 0 });
  console.log(
    `digits convnet: ${seconds.toFixed(1)} s, train accuracy ${history.history.accuracy!.at(-1)!.toFixed(4)}, test accuracy ${accuracy!.toFixed(4)}`,
  );
  expect(accuracy).toBeGreaterThanOrEqual(0.97);
  tf.dispose([xTrain, xTest, yTrain, yTest]);
  model.dispose();
});
