import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, callbacks, datasets, tf } from '@cornu/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hypermodel } from '../../test-fixtures/parallel-hypermodel.js';
import { Hyperband } from './hyperband.js';
import { RandomSearch } from './random-search.js';

let x: tf.Tensor2D;
let y: tf.Tensor1D;
const dirs: string[] = [];

beforeAll(async () => {
  await backend.ready();
  const [[xa, ya]] = await datasets.digits.loadData();
  x = tf.tidy(() =>
    tf.slice(tf.div(tf.reshape(xa, [-1, 64]), 16), [0, 0], [240, 64]),
  ) as tf.Tensor2D;
  y = tf.tidy(() => tf.cast(tf.slice(ya, [0], [240]), 'float32')) as tf.Tensor1D;
  tf.dispose([xa, ya]);
});
afterAll(() => {
  tf.dispose([x, y]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  delete process.env.CORNU_TEST_THREAD_LOG;
});

function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'cornu-parallel-models-'));
  dirs.push(d);
  return d;
}

describe('model tuners: parallel trials in worker threads', () => {
  it('train in several threads and give the same trials, metrics and best model as a serial run', async () => {
    const searchArgs = {
      epochs: 3,
      batchSize: 32,
      shuffle: false,
      validationData: [x, y] as [tf.Tensor, tf.Tensor],
    };
    const common = { objective: 'val_accuracy', maxTrials: 4, seed: 5, verbose: false } as const;
    const serial = new RandomSearch({
      ...common,
      hypermodel,
      directory: temp(),
      projectName: 'serial',
    });
    await serial.search(x, y, searchArgs);

    const log = join(temp(), 'threads.log');
    process.env.CORNU_TEST_THREAD_LOG = log;
    const before = tf.memory().numTensors;
    const parallel = new RandomSearch({
      ...common,
      hypermodelModule: new URL('../../test-fixtures/parallel-hypermodel.ts', import.meta.url),
      maxParallelTrials: 2,
      directory: temp(),
      projectName: 'parallel',
    });
    await parallel.search(x, y, searchArgs);
    delete process.env.CORNU_TEST_THREAD_LOG;
    expect(tf.memory().numTensors).toBe(before);

    const content = (tuner: RandomSearch) =>
      [...tuner.oracle.trials.values()].map((t) => ({
        id: t.trialId,
        values: t.hyperparameters.values,
        status: t.status,
        score: t.score,
        metrics: t.metrics,
      }));
    expect(content(parallel)).toEqual(content(serial));
    // the space discovery build runs in this thread (0); the trials in two worker threads
    const threads = new Set(readFileSync(log, 'utf8').trim().split('\n').map(Number));
    threads.delete(0);
    expect(threads.size).toBe(2);

    // checkpoints the workers wrote give the best model, as the serial run's do
    const [a] = await serial.getBestModels(1);
    const [b] = await parallel.getBestModels(1);
    const pa = a!.predictOnBatch(x) as tf.Tensor;
    const pb = b!.predictOnBatch(x) as tf.Tensor;
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(pa, pb))).dataSync()[0])).toBe(0);
    tf.dispose([pa, pb]);
    a!.dispose();
    b!.dispose();
  });

  it('runs Hyperband in worker threads: promoted trials warm-start from checkpoints other workers wrote', async () => {
    const args = {
      objective: 'val_accuracy',
      maxEpochs: 3,
      factor: 3,
      seed: 4,
      verbose: false,
    } as const;
    const searchArgs = {
      batchSize: 32,
      shuffle: false,
      validationData: [x, y] as [tf.Tensor, tf.Tensor],
    };
    const serial = new Hyperband({ ...args, hypermodel, directory: temp(), projectName: 's' });
    await serial.search(x, y, searchArgs);
    const parallel = new Hyperband({
      ...args,
      hypermodelModule: new URL('../../test-fixtures/parallel-hypermodel.ts', import.meta.url),
      maxParallelTrials: 2,
      directory: temp(),
      projectName: 'p',
    });
    await parallel.search(x, y, searchArgs);
    const content = (tuner: Hyperband) =>
      [...tuner.oracle.trials.values()]
        .map((t) => ({
          values: t.hyperparameters.values,
          status: t.status,
          score: t.score,
          metrics: t.metrics,
        }))
        .sort((a, b) => JSON.stringify(a.values).localeCompare(JSON.stringify(b.values)));
    const promoted = [...parallel.oracle.trials.values()].filter(
      (t) => typeof t.hyperparameters.values['tuner/trial_id'] === 'string',
    );
    expect(promoted.length).toBeGreaterThan(0);
    // the same trials with the same metrics: a promoted trial's epochs continue from the
    // checkpoint its parent's worker wrote, exactly as in the serial run
    expect(content(parallel)).toEqual(content(serial));
  });

  it('refuses what cannot go to a worker, naming it', async () => {
    const tuner = new RandomSearch({
      objective: 'val_accuracy',
      maxTrials: 1,
      hypermodelModule: new URL('../../test-fixtures/parallel-hypermodel.ts', import.meta.url),
      maxParallelTrials: 2,
      directory: temp(),
      verbose: false,
    });
    const callback = new callbacks.LambdaCallback({ onEpochEnd: () => {} });
    await expect(tuner.search(x, y, { epochs: 1, callbacks: [callback] })).rejects.toThrow(
      /^RandomSearch\.search\[2\]\.callbacks\[0\]: parallel model trials send .* received a LambdaCallback\./,
    );
    expect(
      () =>
        new RandomSearch({
          objective: 'val_accuracy',
          hypermodelModule: 'x.js',
          maxParallelTrials: 2,
        }),
    ).toThrow(/need a directory.*Received: directory=undefined/);
  });
});
