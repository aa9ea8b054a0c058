/**
 * The example's job as a function, so `main.ts` runs the full search and a test runs a small one:
 * an MLP on scikit-learn's 8x8 digits (bundled with @cornu/core, nothing is downloaded) tuned with
 * Hyperband. The hidden units, the dropout rate and the learning rate are hyperparameters of
 * `build`; the batch size is a fit argument, so it is tuned in `fit`. Prints the search space,
 * the best trials and the best model's accuracy on the held-out test split.
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
import {
  type FitData,
  type FitResult,
  fitModel,
  HyperModel,
  type HyperParameters,
  type HyperParameterValue,
  Hyperband,
} from '@cornu/tuner';

/** The batch sizes the search chooses from. */
export const BATCH_SIZES = [16, 32, 64, 128];

/** The searched MLP: Dense(units, relu), Dropout, Dense(10, softmax), Adam. */
export class DigitsMLP extends HyperModel {
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
    // core's bundled types lose the trainer's augmentation of Model (compile, fit, evaluate)
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
  ): Promise<FitResult> {
    return fitModel(model, xs, ys, { ...args, batchSize: hp.Choice('batch_size', BATCH_SIZES) });
  }
}

export interface TuneDigitsArgs {
  /** The folder of the tuner's projects (the search state and checkpoints go in a subfolder). */
  directory: string;
  /** @default 'tune-digits' */
  projectName?: string;
  /** Hyperband's maxEpochs. @default 9 */
  maxEpochs?: number;
  /** Hyperband's reduction factor. @default 3 */
  factor?: number;
  /** @default 1 */
  seed?: number;
  /** Where the text goes. @default console.log */
  log?: (line: string) => void;
}

export interface TuneDigitsResult {
  engine: string;
  /** Trials the search ran, and how many completed. */
  trials: number;
  completed: number;
  /** Live tensors just before and just after the search (the tuner disposes every trial's model). */
  tensorsBeforeSearch: number;
  tensorsAfterSearch: number;
  /** The best trial's hyperparameters (the active ones, tuner/* bookkeeping included). */
  bestHyperparameters: Record<string, HyperParameterValue>;
  /** The best trial's score: its best epoch's val_accuracy. */
  bestValAccuracy: number;
  /** The rebuilt best model, with its best epoch's weights, on the validation and test splits. */
  bestModelValAccuracy: number;
  testAccuracy: number;
  seconds: number;
}

type Evaluate = (
  x: tf.Tensor,
  y: tf.Tensor,
  args: { returnDict: true; verbose: 0 },
) => Promise<Record<string, number>>;

export async function runTuneDigits({
  directory,
  projectName = 'tune-digits',
  maxEpochs = 9,
  factor = 3,
  seed = 1,
  log = console.log,
}: TuneDigitsArgs): Promise<TuneDigitsResult> {
  const engine = await backend.ready();
  log(`engine: ${engine}`);
  utils.setRandomSeed(42);

  const [[xTrainRaw, yTrainRaw], [xTestRaw, yTestRaw]] = await datasets.digits.loadData();
  // The last 20% of the training split validates the trials; the test split stays unseen.
  const [x, xVal, xTest] = tf.tidy(() => {
    const flat = tf.div(tf.reshape(xTrainRaw, [-1, 64]), 16);
    const n = flat.shape[0]!;
    const nVal = Math.round(n * 0.2);
    return [
      tf.slice(flat, [0, 0], [n - nVal, 64]),
      tf.slice(flat, [n - nVal, 0], [nVal, 64]),
      tf.div(tf.reshape(xTestRaw, [-1, 64]), 16),
    ] as [tf.Tensor, tf.Tensor, tf.Tensor];
  });
  const [y, yVal, yTest] = tf.tidy(() => {
    const labels = tf.cast(yTrainRaw, 'float32');
    const n = labels.shape[0]!;
    const nVal = Math.round(n * 0.2);
    return [
      tf.slice(labels, [0], [n - nVal]),
      tf.slice(labels, [n - nVal], [nVal]),
      tf.cast(yTestRaw, 'float32'),
    ] as [tf.Tensor, tf.Tensor, tf.Tensor];
  });
  tf.dispose([xTrainRaw, yTrainRaw, xTestRaw, yTestRaw]);

  try {
    const tuner = new Hyperband({
      hypermodel: new DigitsMLP(),
      objective: 'val_accuracy',
      maxEpochs,
      factor,
      seed,
      directory,
      projectName,
      overwrite: true,
      logger: log,
    });
    // Before the search it lists what build registers; batch_size joins at the first fit.
    tuner.searchSpaceSummary();
    const start = performance.now();
    const tensorsBeforeSearch = tf.memory().numTensors;
    await tuner.search(x, y, { validationData: [xVal, yVal] });
    const tensorsAfterSearch = tf.memory().numTensors;
    const seconds = (performance.now() - start) / 1000;
    const trials = [...tuner.oracle.trials.values()];
    log(`searched ${trials.length} trials in ${seconds.toFixed(1)} s`);
    tuner.resultsSummary(3);

    const [bestTrial] = tuner.oracle.getBestTrials(1);
    const [best] = await tuner.getBestModels(1);
    if (!bestTrial || !best) throw new Error('tune-digits: no trial completed');
    const evaluate = (best as unknown as { evaluate: Evaluate }).evaluate.bind(best);
    const opts = { returnDict: true, verbose: 0 } as const;
    const { accuracy: valAccuracy } = await evaluate(xVal, yVal, opts);
    const { accuracy: testAccuracy } = await evaluate(xTest, yTest, opts);
    log(`best model: test accuracy ${testAccuracy?.toFixed(4)}`);
    best.dispose();
    return {
      engine,
      trials: trials.length,
      completed: trials.filter((t) => t.status === 'COMPLETED').length,
      tensorsBeforeSearch,
      tensorsAfterSearch,
      bestHyperparameters: bestTrial.hyperparameters.activeValues(),
      bestValAccuracy: bestTrial.score!,
      bestModelValAccuracy: valAccuracy!,
      testAccuracy: testAccuracy!,
      seconds,
    };
  } finally {
    tf.dispose([x, y, xVal, yVal, xTest, yTest]);
  }
}
