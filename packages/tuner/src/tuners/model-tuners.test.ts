import { existsSync } from 'node:fs';
import {
  backend,
  type CompileArgs,
  callbacks,
  type FitArgs,
  layers,
  type Model,
  optimizers,
  Sequential,
  tf,
} from '@cornu/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDigitsSplit, temporaryDirs } from './digits-split.test-helper.js';
import { type FitData, fitModel, HyperModel } from '../engine/hypermodel.js';
import { HyperParameters } from '../engine/hyperparameters.js';
import { Objective } from '../engine/objective.js';
import { MedianPruner } from '../engine/pruners.js';
import { disposeModel, trackTrialTensors } from '../engine/model-trial.js';
import { BayesianOptimizationOracle } from '../oracles/bayesian-optimization-oracle.js';
import { RandomSearchOracle } from '../oracles/random-search-oracle.js';
import { BayesianOptimization } from './bayesian-optimization.js';
import { GridSearch } from './grid-search.js';
import { Hyperband } from './hyperband.js';

let x: tf.Tensor2D;
let y: tf.Tensor1D;
let xVal: tf.Tensor2D;
let yVal: tf.Tensor1D;
const temporary = temporaryDirs('cornu-model-tuners-');
const tempDir = temporary.make;

beforeAll(async () => {
  await backend.ready();
  ({ x, y, xVal, yVal } = await loadDigitsSplit());
});

afterAll(() => {
  tf.dispose([x, y, xVal, yVal]);
  temporary.removeAll();
});

const quiet = { verbose: false, logger: () => {} } as const;

/** A one-hidden-layer MLP with `units` hidden units, trained by Adam at `learningRate`. */
function mlp(units: number, learningRate: number): Model {
  const model = new Sequential({
    layers: [
      new layers.Dense({ units, activation: 'relu', inputShape: [64] }),
      new layers.Dense({ units: 10, activation: 'softmax' }),
    ],
  });
  // core's bundled types lose the trainer's augmentation of Model (compile, fit, evaluate)
  (model as unknown as { compile(args: CompileArgs): void }).compile({
    optimizer: new optimizers.Adam({ learningRate }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** What a `RecordingHyperModel` saw in one `fit`. */
interface FitRecord {
  values: Record<string, unknown>;
  initialEpoch: number | undefined;
  epochs: number | undefined;
  /** The model's weights when fit started (after any warm start). */
  startWeights: Float32Array[];
  /** fit's History: the epochs it ran and their metrics. */
  epochsRun: number[];
  history: Record<string, number[]>;
}

/** A hypermodel that records, for every fit, its arguments, starting weights and History. */
class RecordingHyperModel extends HyperModel {
  readonly fits: FitRecord[] = [];

  constructor(readonly buildFn: (hp: HyperParameters) => Model) {
    super({ name: 'RecordingHyperModel' });
  }

  override build(hp: HyperParameters): Model {
    return this.buildFn(hp);
  }

  override async fit(
    hp: HyperParameters,
    model: Model,
    xs: FitData,
    ys: FitData | null | undefined,
    args: FitArgs,
  ) {
    const weights = model.getWeights();
    const startWeights = weights.map((w) => w.dataSync().slice() as Float32Array);
    tf.dispose(weights);
    const history = await fitModel(model, xs, ys, args);
    this.fits.push({
      values: { ...hp.values },
      initialEpoch: args.initialEpoch,
      epochs: args.epochs,
      startWeights,
      epochsRun: [...history.epoch],
      history: Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, [...v]])),
    });
    return history;
  }
}

const series = (values: { step: number; value: number }[] | undefined) =>
  (values ?? []).map((o) => o.value);

describe('GridSearch as a model tuner', () => {
  it('trains every grid point once, in grid order, and picks the best', async () => {
    // A 1-unit bottleneck cannot separate ten digits and Adam at 1e-5 barely moves in 3 epochs:
    // only 32 units at 1e-2 learns.
    const hypermodel = new RecordingHyperModel((hp) =>
      mlp(hp.Choice('units', [1, 32]), hp.Choice('learning_rate', [1e-5, 1e-2])),
    );
    const tuner = new GridSearch({
      hypermodel,
      objective: 'val_accuracy',
      seed: 1,
      ...quiet,
    });
    const before = tf.memory().numTensors;
    await tuner.search(x, y, { epochs: 3, batchSize: 30, validationData: [xVal, yVal] });
    expect(tf.memory().numTensors).toBe(before);
    const trials = [...tuner.oracle.trials.values()];
    // the last registered hyperparameter changes fastest; the grid has 2 x 2 points
    expect(
      trials.map((t) => [t.hyperparameters.values.units, t.hyperparameters.values.learning_rate]),
    ).toEqual([
      [1, 1e-5],
      [1, 1e-2],
      [32, 1e-5],
      [32, 1e-2],
    ]);
    expect(trials.map((t) => t.trialId)).toEqual(['00', '01', '02', '03']);
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    expect(hypermodel.fits).toHaveLength(4);
    for (const [i, t] of trials.entries()) {
      // each trial's score is the best val_accuracy of its own three epochs
      expect(t.score).toBe(Math.max(...hypermodel.fits[i]!.history.val_accuracy!));
      expect(hypermodel.fits[i]!.epochsRun).toEqual([0, 1, 2]);
    }
    const [best] = tuner.oracle.getBestTrials(1);
    expect(best!.hyperparameters.values).toMatchObject({ units: 32, learning_rate: 1e-2 });
    expect(best!.score!).toBeGreaterThan(0.7);
    for (const t of trials) if (t !== best) expect(t.score!).toBeLessThan(best!.score! - 0.2);
    expect(tuner.getBestHyperparameters(1)[0]!.values).toEqual(best!.hyperparameters.values);
  });
});

describe('BayesianOptimizationOracle acquisition on a hand-checkable case', () => {
  // y = (x - 0.3)^2 observed at 0, 0.1, 0.2, 0.4, 0.5, 0.6: the data are symmetric about 0.3, so
  // the posterior mean is too and its minimum is at 0.3; the posterior spread is largest farthest
  // from the data, at x = 1. (Six points: with four, the marginal likelihood's best length scale
  // is the lower bound 0.01 - checked with numpy - and the posterior is flat between points.)
  const propose = (acquisition: 'ei' | 'ucb', beta?: number): number => {
    const space = new HyperParameters();
    space.Float('x', 0, 1);
    const oracle = new BayesianOptimizationOracle({
      objective: new Objective('score', 'min'),
      hyperparameters: space,
      maxTrials: 7,
      numInitialPoints: 6,
      acquisition,
      ...(beta === undefined ? {} : { beta }),
      seed: 3,
    });
    for (const xi of [0, 0.1, 0.2, 0.4, 0.5, 0.6]) {
      const trial = oracle.createTrial();
      trial.hyperparameters.values.x = xi;
      oracle.updateTrial(trial.trialId, { score: (xi - 0.3) ** 2 });
      oracle.endTrial(trial.trialId, 'COMPLETED');
    }
    const next = oracle.createTrial();
    expect(next.status).toBe('RUNNING');
    return next.hyperparameters.values.x as number;
  };

  it('expected improvement proposes the minimum between the observations', () => {
    expect(Math.abs(propose('ei') - 0.3)).toBeLessThan(0.02);
  });

  it('UCB exploits with beta 0 and explores the emptiest region with a large beta', () => {
    expect(Math.abs(propose('ucb', 0) - 0.3)).toBeLessThan(0.02);
    expect(propose('ucb', 100)).toBeGreaterThan(0.99);
  });
});

describe('BayesianOptimization as a model tuner', () => {
  for (const acquisition of ['ucb', 'ei'] as const) {
    it(`with '${acquisition}' runs its initial random trials, then proposes from the Gaussian process`, async () => {
      const build = (hp: HyperParameters) =>
        mlp(
          hp.Int('units', 4, 32, { step: 4 }),
          hp.Float('learning_rate', 1e-4, 3e-2, { sampling: 'log' }),
        );
      const tuner = new BayesianOptimization({
        hypermodel: build,
        objective: 'val_accuracy',
        maxTrials: 4,
        numInitialPoints: 2,
        acquisition,
        seed: 7,
        ...quiet,
      });
      const before = tf.memory().numTensors;
      await tuner.search(x, y, { epochs: 2, batchSize: 50, validationData: [xVal, yVal] });
      expect(tf.memory().numTensors).toBe(before);
      const trials = [...tuner.oracle.trials.values()];
      expect(trials.map((t) => t.status)).toEqual([
        'COMPLETED',
        'COMPLETED',
        'COMPLETED',
        'COMPLETED',
      ]);
      // A random search with the same seed and space draws the same first two trials (the initial
      // points are random) but not the last two: those came from the acquisition.
      const random = new RandomSearchOracle({
        objective: 'val_accuracy',
        hyperparameters: tuner.oracle.hyperparameters,
        maxTrials: 4,
        seed: 7,
      });
      const randomValues = [0, 1, 2, 3].map(() => random.createTrial().hyperparameters.values);
      const values = trials.map((t) => t.hyperparameters.values);
      expect(values.slice(0, 2)).toEqual(randomValues.slice(0, 2));
      expect(values[2]).not.toEqual(randomValues[2]);
      expect(values[3]).not.toEqual(randomValues[3]);
      for (const v of values.slice(2)) {
        expect(tuner.oracle.hyperparameters.space.every((p) => p.contains(v[p.name]!))).toBe(true);
      }
      expect(new Set(values.map((v) => JSON.stringify(v))).size).toBe(4);
    });
  }
});

describe('Hyperband as a model tuner', () => {
  it('runs hyperbandIterations full sets of brackets and warm-starts promoted trials from checkpoints', async () => {
    const hypermodel = new RecordingHyperModel((hp) =>
      mlp(
        hp.Choice('units', [8, 16, 32]),
        hp.Float('learning_rate', 1e-3, 3e-2, { sampling: 'log' }),
      ),
    );
    const maxEpochs = 3;
    const factor = 3;
    const tuner = new Hyperband({
      hypermodel,
      objective: 'val_loss',
      maxEpochs,
      factor,
      hyperbandIterations: 2,
      seed: 11,
      directory: tempDir(),
      projectName: 'hyperband',
      ...quiet,
    });
    // live tensors at the end of each trial's fit: the same for every trial (nothing accumulates)
    const live: number[] = [];
    const probe = new callbacks.LambdaCallback({
      onTrainEnd: async () => void live.push(tf.memory().numTensors),
    });
    const before = tf.memory().numTensors;
    await tuner.search(x, y, { batchSize: 50, validationData: [xVal, yVal], callbacks: [probe] });
    expect(tf.memory().numTensors).toBe(before);
    expect(live).toHaveLength(12);
    expect(new Set(live).size).toBe(1);

    // Li et al. (2018), Algorithm 1: s_max = floor(log_eta R), and bracket s starts
    // n = ceil((s_max + 1) / (s + 1) * eta^s) configurations at r = R eta^-s epochs; round i keeps
    // floor(n eta^-i) of them for r eta^i epochs.
    const sMax = Math.floor(Math.log(maxEpochs) / Math.log(factor) + 1e-9);
    const expected: { bracket: number; round: number; epochs: number }[] = [];
    for (let s = sMax; s >= 0; s--) {
      const n = Math.ceil(((sMax + 1) / (s + 1)) * factor ** s);
      for (let i = 0; i <= s; i++) {
        const count = Math.floor(n * factor ** -i);
        for (let k = 0; k < count; k++)
          expected.push({ bracket: s, round: i, epochs: maxEpochs * factor ** (i - s) });
      }
    }
    // here: bracket 1 is 3 trials of 1 epoch then the best one for 3; bracket 0 is 2 trials of 3
    expect(expected).toHaveLength(6);
    const trials = [...tuner.oracle.trials.values()];
    expect(trials.every((t) => t.status === 'COMPLETED')).toBe(true);
    const seen = trials.map((t) => ({
      bracket: t.hyperparameters.values['tuner/bracket'],
      round: t.hyperparameters.values['tuner/round'],
      epochs: t.hyperparameters.values['tuner/epochs'],
    }));
    expect(seen).toEqual([...expected, ...expected]);
    // the two iterations draw different configurations
    const fresh = trials.filter((t) => t.hyperparameters.values['tuner/round'] === 0);
    expect(new Set(fresh.map((t) => t.hyperparameters.values.learning_rate)).size).toBe(
      fresh.length,
    );

    const promoted = trials.filter((t) => t.hyperparameters.values['tuner/round'] === 1);
    expect(promoted).toHaveLength(2);
    for (const trial of promoted) {
      const index = trials.indexOf(trial);
      const record = hypermodel.fits[index]!;
      const parentId = trial.hyperparameters.values['tuner/trial_id'] as string;
      const parent = tuner.oracle.getTrial(parentId);
      // it continues the best of the three 1-epoch trials of its own iteration's bracket
      const siblings = trials.slice(index - 3, index);
      expect(siblings.every((t) => t.hyperparameters.values['tuner/round'] === 0)).toBe(true);
      expect(parent.score).toBe(Math.min(...siblings.map((t) => t.score!)));
      expect(trial.hyperparameters.values.learning_rate).toBe(
        parent.hyperparameters.values.learning_rate,
      );
      // fit ran epochs 1 and 2 only, from initial_epoch 1
      expect(record.initialEpoch).toBe(1);
      expect(record.epochs).toBe(3);
      expect(record.epochsRun).toEqual([1, 2]);
      expect(trial.metrics.val_loss!.map((o) => o.step)).toEqual([1, 2]);
      // and it started from the weights of the parent's checkpoint, not a fresh initialization
      expect(existsSync(tuner.checkpointPath(parentId)!)).toBe(true);
      // (tracked: a compiled model's dispose leaves its loss tracker's variables behind)
      const release = trackTrialTensors();
      const reference = await tuner.hypermodel.build(parent.hyperparameters.copy());
      tuner.loadCheckpoint(parentId, reference);
      const weights = reference.getWeights();
      const parentWeights = weights.map((w) => w.dataSync().slice());
      tf.dispose(weights);
      disposeModel(reference);
      release();
      expect(record.startWeights).toEqual(parentWeights);
      const parentRecord = hypermodel.fits[trials.indexOf(parent)]!;
      expect(record.startWeights).not.toEqual(parentRecord.startWeights);
    }
    // fresh trials start at epoch 0
    for (const t of fresh) expect(hypermodel.fits[trials.indexOf(t)]!.initialEpoch).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('executionsPerTrial', () => {
  it('reports the per-epoch mean of every metric over the executions', async () => {
    const hypermodel = new RecordingHyperModel((hp) =>
      mlp(hp.Choice('units', [8, 16]), hp.Choice('learning_rate', [5e-3])),
    );
    const tuner = new GridSearch({
      hypermodel,
      objective: 'val_loss',
      maxTrials: 2,
      executionsPerTrial: 2,
      seed: 1,
      ...quiet,
    });
    const before = tf.memory().numTensors;
    await tuner.search(x, y, { epochs: 3, batchSize: 50, validationData: [xVal, yVal] });
    expect(tf.memory().numTensors).toBe(before);
    const trials = [...tuner.oracle.trials.values()];
    expect(trials).toHaveLength(2);
    expect(hypermodel.fits).toHaveLength(4);
    for (const [i, trial] of trials.entries()) {
      const [a, b] = [hypermodel.fits[2 * i]!, hypermodel.fits[2 * i + 1]!];
      expect(a.values.units).toBe(trial.hyperparameters.values.units);
      expect(b.values.units).toBe(trial.hyperparameters.values.units);
      // two independently initialized models: different curves
      expect(a.history.loss).not.toEqual(b.history.loss);
      for (const metric of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
        const mean = a.history[metric]!.map((v, e) => (v + b.history[metric]![e]!) / 2);
        const reported = series(trial.metrics[metric]);
        expect(reported).toHaveLength(3);
        for (let e = 0; e < 3; e++) expect(reported[e]).toBeCloseTo(mean[e]!, 12);
      }
      const meanValLoss = a.history.val_loss!.map((v, e) => (v + b.history.val_loss![e]!) / 2);
      expect(trial.score).toBeCloseTo(Math.min(...meanValLoss), 12);
    }
  });
});

describe('pruning a model trial', () => {
  it('MedianPruner stops a bad trial mid-fit: fewer epochs run, trial.pruned', async () => {
    // Adam at 1e-6 leaves the loss near ln(10) while 1e-2 and 5e-3 bring it down within an epoch.
    const hypermodel = new RecordingHyperModel((hp) =>
      mlp(32, hp.Choice('learning_rate', [1e-2, 5e-3, 1e-6])),
    );
    const epochsBegun: number[][] = [];
    const counter = new callbacks.LambdaCallback({
      onTrainBegin: async () => void epochsBegun.push([]),
      onEpochBegin: async (epoch: number) => void epochsBegun.at(-1)!.push(epoch),
    });
    const tuner = new GridSearch({
      hypermodel,
      objective: 'loss',
      seed: 1,
      pruner: new MedianPruner({ nStartupTrials: 2, nWarmupSteps: 1 }),
      ...quiet,
    });
    const before = tf.memory().numTensors;
    await tuner.search(x, y, { epochs: 5, batchSize: 30, callbacks: [counter] });
    expect(tf.memory().numTensors).toBe(before);
    const [good1, good2, bad] = [...tuner.oracle.trials.values()];
    expect(bad!.hyperparameters.values.learning_rate).toBe(1e-6);
    expect(epochsBegun).toEqual([
      [0, 1, 2, 3, 4],
      [0, 1, 2, 3, 4],
      [0, 1],
    ]);
    expect(good1!.pruned).toBe(false);
    expect(good2!.pruned).toBe(false);
    expect(bad!.pruned).toBe(true);
    expect(bad!.status).toBe('COMPLETED');
    expect(bad!.message).toBe('pruned at step 1 by MedianPruner');
    expect(bad!.metrics.loss!.map((o) => o.step)).toEqual([0, 1]);
    // the median rule by hand: the bad trial's best loss by step 1 is above the median of the
    // two completed trials' losses at step 1 (their mean, for two values)
    const median = (series(good1!.metrics.loss)[1]! + series(good2!.metrics.loss)[1]!) / 2;
    expect(Math.min(...series(bad!.metrics.loss))).toBeGreaterThan(median);
    expect(bad!.score).toBe(Math.min(...series(bad!.metrics.loss)));
    expect(Math.abs(series(bad!.metrics.loss)[0]! - Math.log(10))).toBeLessThan(0.3);
  });
});
