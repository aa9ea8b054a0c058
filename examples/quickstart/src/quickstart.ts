/**
 * The quickstart's job as a function, so `main.ts` runs it in full and a test runs it briefly: a
 * small convnet trained on scikit-learn's 8x8 digits (bundled with @cornu/core, so nothing is
 * downloaded) with `compile` / `fit` and the progress bar, evaluated on the held-out test split,
 * saved as a Keras 3 `.keras` file, reloaded, and a few test digits predicted by the reloaded model
 * next to their labels.
 */
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

export interface QuickstartArgs {
  /** The folder the `.keras` file is written to. */
  dir: string;
  /** @default 15 */
  epochs?: number;
  /** fit's verbosity. @default 'auto' */
  verbose?: 0 | 1 | 2 | 'auto';
  /** Where the text goes. @default console.log */
  log?: (line: string) => void;
  /** How many test digits to predict with the reloaded model. @default 12 */
  shown?: number;
}

export interface QuickstartResult {
  engine: string;
  epochsRun: number;
  testLoss: number;
  testAccuracy: number;
  /** The saved `.keras` file. */
  path: string;
  /** The reloaded model's classes for the first `shown` test digits, and their labels. */
  predicted: number[];
  labels: number[];
  /** The largest difference between the trained and the reloaded model's probabilities. */
  reloadDifference: number;
}

export async function runQuickstart({
  dir,
  epochs = 15,
  verbose = 'auto',
  log = console.log,
  shown = 12,
}: QuickstartArgs): Promise<QuickstartResult> {
  const engine = await backend.ready();
  log(`engine: ${engine}`);
  utils.setRandomSeed(42);

  const [[xTrainRaw, yTrain], [xTestRaw, yTest]] = await datasets.digits.loadData();
  // Channels last: [samples, 8, 8] -> [samples, 8, 8, 1].
  const xTrain = tf.expandDims(xTrainRaw, -1);
  const xTest = tf.expandDims(xTestRaw, -1);
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
  model.summary(log);

  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 3e-3 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });

  const history = await model.fit(xTrain, yTrain, {
    epochs,
    batchSize: 32,
    validationSplit: 0.1,
    verbose,
    callbacks: [
      new callbacks.EarlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true }),
    ],
  });
  const epochsRun = history.epoch.length;
  log(
    `trained ${epochsRun} epochs, last val_accuracy ${history.history.val_accuracy?.[epochsRun - 1]?.toFixed(4)}`,
  );

  const { loss, accuracy } = await model.evaluate(xTest, yTest, { returnDict: true, verbose: 0 });
  log(`test loss ${loss?.toFixed(4)}, test accuracy ${accuracy?.toFixed(4)}`);

  const path = join(dir, 'digits_convnet.keras');
  await model.save(path);
  const restored = await saving.loadModel(path);
  log(`saved to ${path} and reloaded '${restored.name}'`);

  const sample = tf.slice(xTest, 0, shown);
  const probabilities = (await restored.predict(sample, { verbose: 0 })) as tf.Tensor;
  const original = (await model.predict(sample, { verbose: 0 })) as tf.Tensor;
  const reloadDifference = tf.tidy(
    () => tf.max(tf.abs(tf.sub(probabilities, original))).dataSync()[0]!,
  );
  const predicted = Array.from(tf.tidy(() => tf.argMax(probabilities, -1)).dataSync());
  const labels = Array.from(tf.tidy(() => tf.slice(yTest, 0, shown)).dataSync());
  log(`predicted: ${predicted.join(' ')}`);
  log(`labels:    ${labels.join(' ')}`);
  tf.dispose([sample, probabilities, original, xTrain, xTest, yTrain, yTest]);
  model.dispose();
  restored.dispose();
  return {
    engine,
    epochsRun,
    testLoss: loss!,
    testAccuracy: accuracy!,
    path,
    predicted,
    labels,
    reloadDifference,
  };
}
