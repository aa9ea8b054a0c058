import v8 from 'node:v8';
import vm from 'node:vm';
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
import type { HyperParameters } from '../engine/hyperparameters.js';
import { Objective } from '../engine/objective.js';
import { Hyperband } from './hyperband.js';
import { RandomSearch } from './random-search.js';

let x: tf.Tensor2D;
let y: tf.Tensor1D;
let xVal: tf.Tensor2D;
let yVal: tf.Tensor1D;
const temporary = temporaryDirs('cornu-tuner-');
const tempDir = temporary.make;

beforeAll(async () => {
  await backend.ready();
  ({ x, y, xVal, yVal } = await loadDigitsSplit());
});

afterAll(() => {
  tf.dispose([x, y, xVal, yVal]);
  temporary.removeAll();
});

function buildMlp(hp: HyperParameters, fixedLearningRate?: number): Model {
  const model = new Sequential({
    layers: [
      new layers.Dense({
        units: hp.Choice('units', [8, 16, 32]),
        activation: 'relu',
        inputShape: [64],
      }),
      new layers.Dense({ units: 10, activation: 'softmax' }),
    ],
  });
  // core's bundled types lose the trainer's augmentation of Model (compile, fit, evaluate)
  (model as unknown as { compile(args: CompileArgs): void }).compile({
    optimizer: new optimizers.Adam({
      learningRate: fixedLearningRate ?? hp.Float('lr', 1e-3, 3e-2, { sampling: 'log' }),
    }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

const quiet = { verbose: false, logger: () => {} } as const;

describe('Tuner (RandomSearch on a digits MLP)', () => {
  it('searches, summarizes, and rebuilds the best model with its best-epoch weights', async () => {
    const lines: string[] = [];
    const tuner = new RandomSearch({
      hypermodel: buildMlp,
      objective: 'val_accuracy',
      maxTrials: 3,
      seed: 1,
      directory: tempDir(),
      projectName: 'digits',
      verbose: false,
      logger: (line) => lines.push(line),
    });
    tuner.searchSpaceSummary();
    expect(lines).toContain('Default search space size: 2');
    await tuner.search(x, y, { epochs: 2, batchSize: 32, validationData: [xVal, yVal] });
    const trials = [...tuner.oracle.trials.values()];
    expect(trials.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(tuner.oracle.objective.direction).toBe('max');
    const [bestTrial] = tuner.oracle.getBestTrials(1);
    const [bestHp] = tuner.getBestHyperparameters(1);
    expect(bestHp!.values).toEqual(bestTrial!.hyperparameters.values);
    const [best] = await tuner.getBestModels(1);
    const { accuracy } = (await (
      best as unknown as { evaluate: (...a: unknown[]) => Promise<Record<string, number>> }
    ).evaluate(xVal, yVal, { returnDict: true, verbose: 0 })) as { accuracy: number };
    expect(accuracy).toBeCloseTo(bestTrial!.score!, 5);
    best!.dispose();
    lines.length = 0;
    tuner.resultsSummary(2);
    expect(lines[0]).toBe('Results summary');
    expect(lines).toContain(`Trial ${bestTrial!.trialId} summary`);
    expect(lines).toContain(`Score: ${bestTrial!.score}`);
  });

  it('keeps tf.memory and the heap flat across 20 trials', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const counts: number[] = [];
    const heap: number[] = [];
    const tuner = new RandomSearch({
      hypermodel: buildMlp,
      objective: 'loss',
      maxTrials: 20,
      seed: 2,
      directory: tempDir(),
      ...quiet,
    });
    const probe = new callbacks.LambdaCallback({
      onTrainEnd: async () => {
        counts.push(tf.memory().numTensors);
        gc();
        heap.push(process.memoryUsage().heapUsed);
      },
    });
    const before = tf.memory().numTensors;
    await tuner.search(x, y, { epochs: 1, batchSize: 100, callbacks: [probe] });
    expect(counts).toHaveLength(20);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    // after warm-up, 15 more trials grow the heap by less than 4 MB (trial records only)
    expect(heap[19]! - heap[4]!).toBeLessThan(4 * 1024 * 1024);
  });

  it('tunes fit arguments (batch size) through HyperModel.fit', async () => {
    const steps: number[] = [];
    class BatchHyperModel extends HyperModel {
      override build(hp: HyperParameters): Model {
        return buildMlp(hp);
      }
      override fit(
        hp: HyperParameters,
        model: Model,
        xs: FitData,
        ys: FitData | null | undefined,
        args: FitArgs,
      ) {
        const batchSize = hp.Choice('batch_size', [50, 100, 300]);
        let count = 0;
        const counter = new callbacks.LambdaCallback({
          onTrainBatchEnd: async () => {
            count++;
          },
          onTrainEnd: async () => {
            steps.push(300 / batchSize - count);
          },
        });
        return fitModel(model, xs, ys, {
          ...args,
          batchSize,
          callbacks: [...(args.callbacks ?? []), counter],
        });
      }
    }
    const tuner = new RandomSearch({
      hypermodel: new BatchHyperModel(),
      objective: 'loss',
      maxTrials: 4,
      seed: 3,
      ...quiet,
    });
    await tuner.search(x, y, { epochs: 1 });
    expect(tuner.oracle.hyperparameters.has('batch_size')).toBe(true);
    expect(steps).toEqual([0, 0, 0, 0]);
    const sizes = new Set(
      [...tuner.oracle.trials.values()].map((t) => t.hyperparameters.values.batch_size),
    );
    expect(sizes.size).toBeGreaterThan(1);
  });

  it('rejects an objective the model never reports, naming the reported metrics', async () => {
    const tuner = new RandomSearch({
      hypermodel: buildMlp,
      objective: new Objective('val_acc', 'max'),
      maxTrials: 2,
      seed: 1,
      ...quiet,
    });
    await expect(tuner.search(x, y, { epochs: 1, validationData: [xVal, yVal] })).rejects.toThrow(
      /Objective 'val_acc' is missing .*Found: \["loss","accuracy","val_loss","val_accuracy"\]/,
    );
  });

  it('names a hypermodel that is neither a HyperModel nor a function', () => {
    expect(() => new RandomSearch({ hypermodel: 42 as never, objective: 'val_loss' })).toThrow(
      /^RandomSearch: hypermodel: expected a HyperModel or a function \(hp\) => model\. Received: number\.$/,
    );
    expect(() => new RandomSearch({ objective: 'val_loss' })).toThrow(
      /RandomSearch: hypermodel must be a HyperModel or a function \(hp\) => model \(or give hypermodelModule\)/,
    );
  });

  it('marks trials whose hypermodel throws as failed and goes on', async () => {
    const tuner = new RandomSearch({
      hypermodel: (hp) => {
        if (hp.Choice('units', [8, 16, 32]) === 16) throw new Error('16 units are cursed');
        return buildMlp(hp, 0.01);
      },
      objective: 'loss',
      maxTrials: 3,
      seed: 4,
      ...quiet,
    });
    await tuner.search(x, y, { epochs: 1 });
    const trials = [...tuner.oracle.trials.values()];
    expect(trials).toHaveLength(3);
    for (const t of trials) {
      if (t.hyperparameters.values.units === 16) {
        expect(t.status).toBe('FAILED');
        expect(t.message).toBe('16 units are cursed');
      } else {
        expect(t.status).toBe('COMPLETED');
      }
    }
    expect(trials.some((t) => t.status === 'FAILED')).toBe(true);
  });
});

describe('Hyperband tuner', () => {
  it('warm-starts promoted trials from the checkpoint of the trial they continue', async () => {
    const tuner = new Hyperband({
      hypermodel: buildMlp,
      objective: 'loss',
      maxEpochs: 3,
      factor: 3,
      seed: 5,
      ...quiet,
    });
    await tuner.search(x, y, { batchSize: 50 });
    const trials = [...tuner.oracle.trials.values()];
    // bracket 1: 3 trials x 1 epoch, then the best continues to 3 epochs; bracket 0: 2 trials x 3 epochs
    expect(trials.map((t) => t.hyperparameters.values['tuner/epochs'])).toEqual([1, 1, 1, 3, 3, 3]);
    const promoted = trials[3]!;
    const parent = tuner.oracle.getTrial(
      promoted.hyperparameters.values['tuner/trial_id'] as string,
    );
    expect(parent.score).toBe(Math.min(...trials.slice(0, 3).map((t) => t.score!)));
    expect(promoted.metrics.loss!.map((o) => o.step)).toEqual([1, 2]);
    // continuing from trained weights: its first epoch beats the parent's only epoch
    expect(promoted.metrics.loss![0]!.value).toBeLessThan(parent.metrics.loss![0]!.value);
  });
});
