/**
 * Tune an MLP on scikit-learn's 8x8 digits (bundled with @cornu/core, nothing is downloaded) with
 * Hyperband: hidden units, dropout, the learning rate and the batch size are hyperparameters.
 * Prints the search space, the best trials and the best model's test accuracy.
 *
 * Run: `pnpm --filter @cornu/example-tune-digits start` (after `pnpm build`).
 */
import {
  backend,
  type CompileArgs,
  datasets,
  type FitArgs,
  layers,
  type Model,
  optimizers,
  Sequential,
  tf,
  utils,
} from '@cornu/core';
import { type FitData, fitModel, HyperModel, type HyperParameters, Hyperband } from '@cornu/tuner';

console.log(`engine: ${await backend.ready()}`);
utils.setRandomSeed(42);

const [[xTrainRaw, yTrainRaw], [xTestRaw, yTestRaw]] = await datasets.digits.loadData();
const [x, xVal, xTest] = tf.tidy(() => {
  const flat = tf.div(tf.reshape(xTrainRaw, [-1, 64]), 16);
  const n = flat.shape[0]!;
  const nVal = Math.round(n * 0.2);
  return [
    tf.slice(flat, [0, 0], [n - nVal, 64]),
    tf.slice(flat, [n - nVal, 0], [nVal, 64]),
    tf.div(tf.reshape(xTestRaw, [-1, 64]), 16),
  ];
});
const [y, yVal, yTest] = tf.tidy(() => {
  const labels = tf.cast(yTrainRaw, 'float32');
  const n = labels.shape[0]!;
  const nVal = Math.round(n * 0.2);
  return [
    tf.slice(labels, [0], [n - nVal]),
    tf.slice(labels, [n - nVal], [nVal]),
    tf.cast(yTestRaw, 'float32'),
  ];
});
tf.dispose([xTrainRaw, yTrainRaw, xTestRaw, yTestRaw]);

class DigitsMLP extends HyperModel {
  override build(hp: HyperParameters): Model {
    const model = new Sequential({
      layers: [
        new layers.Dense({
          units: hp.Int('units', 32, 256, { step: 32 }),
          activation: 'relu',
          inputShape: [64],
        }),
        new layers.Dropout({ rate: hp.Float('dropout', 0, 0.5, { step: 0.1 }) }),
        new layers.Dense({ units: 10, activation: 'softmax' }),
      ],
    });
    (model as unknown as { compile(args: CompileArgs): void }).compile({
      optimizer: new optimizers.Adam({
        learningRate: hp.Float('learning_rate', 1e-4, 3e-2, { sampling: 'log' }),
      }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    return model;
  }

  // The batch size is a fit argument: tune it here.
  override fit(
    hp: HyperParameters,
    model: Model,
    xs: FitData,
    ys: FitData | null | undefined,
    args: FitArgs,
  ) {
    return fitModel(model, xs, ys, {
      ...args,
      batchSize: hp.Choice('batch_size', [16, 32, 64, 128]),
    });
  }
}

const tuner = new Hyperband({
  hypermodel: new DigitsMLP(),
  objective: 'val_accuracy',
  maxEpochs: 9,
  factor: 3,
  seed: 1,
  directory: 'runs',
  projectName: 'tune-digits',
  overwrite: true,
});
tuner.searchSpaceSummary();
const start = performance.now();
await tuner.search(x, y, { validationData: [xVal, yVal] });
console.log(
  `searched ${tuner.oracle.trials.size} trials in ${((performance.now() - start) / 1000).toFixed(1)} s`,
);
tuner.resultsSummary(3);

const [best] = await tuner.getBestModels(1);
const evaluate = (
  best as unknown as { evaluate: (...a: unknown[]) => Promise<Record<string, number>> }
).evaluate;
const { accuracy } = await evaluate.call(best, xTest, yTest, { returnDict: true, verbose: 0 });
console.log(`best model: test accuracy ${accuracy?.toFixed(4)}`);
best?.dispose();
tf.dispose([x, y, xVal, yVal, xTest, yTest]);
