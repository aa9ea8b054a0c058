/**
 * Quickstart: a small convnet trained on scikit-learn's 8x8 digits (bundled with @cornu/core, so
 * nothing is downloaded) with `compile` / `fit` and the progress bar, evaluated on the held-out test
 * split, saved as a Keras 3 `.keras` file, reloaded, and a few test digits predicted by the reloaded
 * model next to their labels.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  backend,
  callbacks,
  datasets,
  layers,
  optimizers,
  Sequential,
  saving,
  tf,
  utils,
} from '@cornu/core';

const engine = await backend.ready();
console.log(`engine: ${engine}`);
utils.setRandomSeed(42);

const [[xTrainRaw, yTrain], [xTestRaw, yTest]] = await datasets.digits.loadData();
// Channels last: [samples, 8, 8] -> [samples, 8, 8, 1].
const xTrain = xTrainRaw.expandDims(-1);
const xTest = xTestRaw.expandDims(-1);
tf.dispose([xTrainRaw, xTestRaw]);

const model = new Sequential({
  name: 'digits_convnet',
  layers: [
    new layers.Rescaling({ scale: 1 / 16, inputShape: [8, 8, 1] }),
    new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same' }),
    new layers.MaxPooling2D({ poolSize: 2 }),
    new layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
    new layers.Flatten(),
    new layers.Dense({ units: 10, activation: 'softmax' }),
  ],
});
model.summary();

model.compile({
  optimizer: new optimizers.Adam({ learningRate: 3e-3 }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});

const history = await model.fit(xTrain, yTrain, {
  epochs: 15,
  batchSize: 32,
  validationSplit: 0.1,
  callbacks: [
    new callbacks.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true }),
  ],
});
const epochs = history.epoch.length;
console.log(
  `trained ${epochs} epochs, last val_accuracy ${history.history.val_accuracy?.[epochs - 1]?.toFixed(4)}`,
);

const { loss, accuracy } = await model.evaluate(xTest, yTest, { returnDict: true, verbose: 0 });
console.log(`test loss ${loss?.toFixed(4)}, test accuracy ${accuracy?.toFixed(4)}`);

const path = join(mkdtempSync(join(tmpdir(), 'cornu-quickstart-')), 'digits_convnet.keras');
await model.save(path);
const restored = await saving.loadModel(path);
console.log(`saved to ${path} and reloaded '${restored.name}'`);

const shown = 12;
const sample = xTest.slice(0, shown);
const probabilities = (await restored.predict(sample)) as tf.Tensor;
const predicted = Array.from(tf.tidy(() => probabilities.argMax(-1)).dataSync());
const labels = Array.from(yTest.slice(0, shown).dataSync());
console.log(`predicted: ${predicted.join(' ')}`);
console.log(`labels:    ${labels.join(' ')}`);
tf.dispose([sample, probabilities, xTrain, xTest, yTrain, yTest]);
