/**
 * fit's arguments and callbacks integration, checked against hand-derived numbers: a Dense(1) with a
 * kernel of ones, no bias, and SGD with learning rate 0 predicts exactly x, so every loss is known.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  backend,
  callbacks,
  data,
  Input,
  layers,
  losses,
  Model,
  metrics,
  optimizers,
  Sequential,
  tf,
  utils,
} from '../index.js';

beforeAll(async () => {
  await backend.ready();
});

const quiet = { verbose: 0 as const };

/** y = x exactly, and frozen (learning rate 0): the loss of each sample is (x - y)^2. */
function identity(): Sequential {
  const model = new Sequential({
    layers: [
      new layers.Dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', useBias: false }),
    ],
  });
  model.compile({
    optimizer: new optimizers.SGD({ learningRate: 0 }),
    loss: 'meanSquaredError',
    metrics: ['mae'],
  });
  return model;
}

const column = (values: number[]) => tf.tensor2d(values, [values.length, 1]);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

describe('fit arguments', () => {
  it('validationSplit holds out the last fraction of the samples (floor, as Keras), before shuffling', async () => {
    const x = column(range(10));
    const y = tf.zeros([10, 1]);
    const model = identity();
    // split_at = floor(10 * (1 - 0.25)) = 7: train on 1..7, validate on 8, 9, 10.
    const h = await model.fit(x, y, {
      validationSplit: 0.25,
      batchSize: 3,
      shuffle: true,
      ...quiet,
    });
    expect(h.history.val_loss![0]).toBeCloseTo(mean([64, 81, 100]), 4);
    expect(h.history.val_mae![0]).toBeCloseTo(9, 5);
    expect(h.history.loss![0]).toBeCloseTo(mean(range(7).map((v) => v * v)), 4);
    expect(h.history.mae![0]).toBeCloseTo(4, 5);
    await expect(model.fit(x, y, { validationSplit: 1, ...quiet })).rejects.toThrow(
      /validationSplit must be in \(0, 1\), received 1/,
    );
    tf.dispose([x, y]);
  });

  it('initialEpoch, stepsPerEpoch and validationFreq follow Keras', async () => {
    const x = column(range(8));
    const y = tf.zeros([8, 1]);
    const model = identity();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const h = await model.fit(x, y, {
      epochs: 5,
      initialEpoch: 2,
      batchSize: 2,
      stepsPerEpoch: 3,
      ...quiet,
    });
    expect(h.epoch).toEqual([2, 3, 4]);
    // 4 batches, 3 steps per epoch, the pass carrying on (Keras's EpochIterator): batches 0-2, then
    // batch 3 alone (the data ran out: one warning), then a fresh pass 0-2.
    expect(model.optimizer!.iterations).toBe(3 + 1 + 3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /fit: the data ran out after 1 of stepsPerEpoch=3 steps/,
    );
    warn.mockRestore();
    // validationFreq 2: validate after epochs 2 and 4 (1-based); a list names the epochs.
    const v = await model.fit(x, y, {
      epochs: 4,
      validationData: [x, y],
      validationFreq: 2,
      ...quiet,
    });
    expect(v.history.loss).toHaveLength(4);
    expect(v.history.val_loss).toHaveLength(2);
    const seen: string[][] = [];
    const probe = new callbacks.LambdaCallback({
      onEpochEnd: (_e, logs) => void seen.push(Object.keys(logs ?? {}).sort()),
    });
    await model.fit(x, y, {
      epochs: 3,
      validationData: [x, y],
      validationFreq: [1, 3],
      callbacks: [probe],
      ...quiet,
    });
    expect(seen.map((keys) => keys.includes('val_loss'))).toEqual([true, false, true]);
    tf.dispose([x, y]);
  });

  it('named inputs and outputs: records are matched by name, whatever their key order', async () => {
    const a = Input({ shape: [1], name: 'a' });
    const b = Input({ shape: [1], name: 'b' });
    const dense = (name: string) =>
      new layers.Dense({ units: 1, name, kernelInitializer: 'ones', useBias: false });
    const model = new Model({
      inputs: [a, b],
      outputs: [dense('out_a').apply(a), dense('out_b').apply(b)],
    });
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0 }),
      loss: 'mse',
      lossWeights: { out_a: 1, out_b: 2 },
    });
    const xa = column([1, 2]);
    const xb = column([3, 4]);
    const zeros = tf.zeros([2, 1]);
    const ones = tf.ones([2, 1]);
    const h = await model.fit({ b: xb, a: xa }, { out_b: ones, out_a: zeros }, quiet);
    // out_a: mean(1, 4) = 2.5; out_b: mean((3-1)^2, (4-1)^2) = 6.5, logged before its weight 2
    // (as Keras 3); loss = 2.5 + 2 * 6.5.
    expect(h.history.out_a_loss![0]).toBeCloseTo(2.5, 5);
    expect(h.history.out_b_loss![0]).toBeCloseTo(6.5, 5);
    expect(h.history.loss![0]).toBeCloseTo(15.5, 5);
    await expect(model.fit({ a: xa }, [zeros, ones], quiet)).rejects.toThrow(
      /x has no tensor for 'b'\. Received keys \[a\], expected \[a, b\]/,
    );
    tf.dispose([xa, xb, zeros, ones]);
  });

  it('streams a data.Dataset: batches are pulled one at a time, never materialised', async () => {
    const x = column(range(12));
    const y = tf.zeros([12, 1]);
    let produced = 0;
    let ahead = 0;
    const dataset = data.Dataset.fromGenerator(function* () {
      for (let i = 0; i < 12; i += 4) {
        produced++;
        yield [x.slice(i, 4), y.slice(i, 4)] as [tf.Tensor, tf.Tensor];
      }
    });
    const model = identity();
    const probe = new callbacks.LambdaCallback({
      onEpochBegin: () => {
        produced = 0;
      },
      onTrainBatchBegin: (batch) => {
        ahead = Math.max(ahead, produced - (batch + 1));
      },
    });
    const h = await model.fit(dataset, {
      epochs: 2,
      validationData: dataset,
      callbacks: [probe],
      ...quiet,
    });
    expect(ahead).toBe(0);
    expect(h.history.loss![1]).toBeCloseTo(mean(range(12).map((v) => v * v)), 3);
    expect(h.history.val_loss![1]).toBeCloseTo(h.history.loss![1]!, 3);
    expect(model.optimizer!.iterations).toBe(6);
    const before = tf.memory().numTensors;
    await model.fit(dataset, { epochs: 1, validationData: dataset, ...quiet });
    const evaluated = await model.evaluate(dataset, { returnDict: true, ...quiet });
    expect(evaluated.mae).toBeCloseTo(6.5, 5);
    const predicted = (await model.predict(dataset)) as tf.Tensor;
    expect(Array.from(predicted.dataSync())).toEqual(range(12));
    predicted.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it('classWeight from one-hot targets, and the errors for bad combinations', async () => {
    // Categorical targets: the class is the argmax. Loss mse on 2 outputs, kernel ones: pred = [x, x].
    const model = new Sequential({
      layers: [
        new layers.Dense({ units: 2, inputShape: [1], kernelInitializer: 'ones', useBias: false }),
      ],
    });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const x = column([1, 2]);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    // per-sample mse: ((1-1)^2 + (1-0)^2) / 2 = 0.5 and ((2-0)^2 + (2-1)^2) / 2 = 2.5; weights 3 and 1.
    const h = await model.fit(x, y, { classWeight: { 0: 3, 1: 1 }, batchSize: 2, ...quiet });
    expect(h.history.loss![0]).toBeCloseTo((3 * 0.5 + 2.5) / 2, 5);
    const sw = tf.ones([2]);
    await expect(
      model.fit(x, y, { classWeight: { 0: 1, 1: 1 }, sampleWeight: sw, ...quiet }),
    ).rejects.toThrow(/either classWeight or sampleWeight, not both/);
    tf.dispose([x, y, sw]);
  });

  it('trainOnBatch, testOnBatch, predictOnBatch, resetMetrics and evaluate forms', async () => {
    const model = identity();
    const x = column([1, 2, 3]);
    const y = tf.zeros([3, 1]);
    const logs = await model.trainOnBatch(x, y);
    expect(logs.loss).toBeCloseTo(14 / 3, 5);
    expect(model.optimizer!.iterations).toBe(1);
    expect(await model.testOnBatch(x, y)).toEqual({ loss: logs.loss, mae: 2 });
    const p = model.predictOnBatch(x) as tf.Tensor;
    expect(Array.from(p.dataSync())).toEqual([1, 2, 3]);
    p.dispose();
    expect(model.metricsNames).toEqual(['loss', 'mae']);
    model.resetMetrics();
    const results = tf.tidy(() => model.getMetricsResult());
    expect(Object.values(results).map((t) => (t as tf.Tensor).dataSync()[0])).toEqual([0, 0]);
    tf.dispose(Object.values(results) as tf.Tensor[]);
    expect(await model.evaluate(x, y, { batchSize: 2, ...quiet })).toEqual([
      expect.closeTo(14 / 3, 5),
      expect.closeTo(2, 5),
    ]);
    const single = new Sequential({ layers: [new layers.Dense({ units: 1, inputShape: [1] })] });
    single.compile({ optimizer: 'sgd', loss: new losses.MeanAbsoluteError() });
    expect(typeof (await single.evaluate(x, y, quiet))).toBe('number');
    tf.dispose([x, y]);
  });
});

describe('compile', () => {
  it('takes the optimizer, losses and metrics by name, object or function; per-output metric lists', async () => {
    const x = column([1, 2]);
    const y = tf.zeros([2, 1]);
    const byName = new Sequential({
      layers: [
        new layers.Dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', useBias: false }),
      ],
    });
    byName.compile({
      optimizer: 'sgd',
      loss: losses.meanSquaredError,
      metrics: [new metrics.MeanAbsoluteError(), 'mse'],
    });
    expect(byName.optimizer).toBeInstanceOf(optimizers.SGD);
    const logs = await byName.testOnBatch(x, y);
    // mse of [1, 2] against 0 = 2.5; mae = 1.5; an object logs under its own name, a string as given.
    expect(logs).toEqual({ loss: 2.5, mean_absolute_error: 1.5, mse: 2.5 });
    expect(byName.metricsNames).toEqual(['loss', 'mean_absolute_error', 'mse']);
    expect(() => byName.compile({ optimizer: 'adamm' })).toThrow(/unknown optimizer 'adamm'/);

    const input = Input({ shape: [1] });
    const dense = (name: string) =>
      new layers.Dense({ units: 1, name, kernelInitializer: 'ones', useBias: false });
    const twoHeads = new Model({
      inputs: input,
      outputs: [dense('p').apply(input), dense('q').apply(input)],
    });
    twoHeads.compile({
      optimizer: 'sgd',
      loss: ['mse', 'mae'],
      lossWeights: [1, 0.5],
      metrics: [['mae'], []],
    });
    const both = await twoHeads.testOnBatch(x, [y, y]);
    // p: mse 2.5 (weight 1); q: mae 1.5, logged before its weight 0.5 (as Keras 3); total
    // 2.5 + 0.75 = 3.25; p_mae 1.5; q has no metric.
    expect(both).toEqual({ loss: 3.25, p_loss: 2.5, q_loss: 1.5, p_mae: 1.5 });
    expect(() => twoHeads.compile({ loss: ['mse'] })).not.toThrow();
    await expect(twoHeads.testOnBatch(x, [y, y])).rejects.toThrow(
      /loss is a list of 1 entries but the model has 2 outputs \('p', 'q'\)/,
    );
    tf.dispose([x, y]);
  });
});

describe('fit with callbacks', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cornu-fit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('EarlyStopping with restoreBestWeights leaves the weights of the best epoch', async () => {
    // Fitting a noisy target with a large learning rate: val_loss wanders, so patience 2 stops early.
    utils.setRandomSeed(11);
    const x = tf.tidy(() => tf.randomNormal([64, 4], 0, 1, 'float32', 3));
    const y = tf.tidy(() => tf.randomNormal([64, 1], 0, 1, 'float32', 4));
    const model = new Sequential({
      layers: [
        new layers.Dense({ units: 16, activation: 'relu', inputShape: [4] }),
        new layers.Dense({ units: 1 }),
      ],
    });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.3 }), loss: 'mse' });
    const snapshots: { valLoss: number; weights: Float32Array[] }[] = [];
    const recorder = new callbacks.LambdaCallback({
      onEpochEnd: (_e, logs) => {
        snapshots.push({
          valLoss: logs!.val_loss!,
          weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
        });
      },
    });
    const stopper = new callbacks.EarlyStopping({
      monitor: 'val_loss',
      patience: 2,
      restoreBestWeights: true,
    });
    const h = await model.fit(x.slice(0, 32), y.slice(0, 32), {
      epochs: 40,
      batchSize: 8,
      validationData: [x.slice(32, 32), y.slice(32, 32)],
      callbacks: [recorder, stopper],
      ...quiet,
    });
    expect(h.epoch.length).toBeLessThan(40);
    const best = snapshots.reduce((b, s) => (s.valLoss < b.valLoss ? s : b));
    expect(best).not.toBe(snapshots.at(-1));
    const now = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(now).toEqual(best.weights.map((w) => Array.from(w)));
    // And the restored model scores the best val_loss.
    const again = (await model.evaluate(x.slice(32, 32), y.slice(32, 32), quiet)) as number;
    expect(again).toBeCloseTo(best.valLoss, 4);
    tf.dispose([x, y]);
  });

  it('BackupAndRestore resumes an interrupted fit at the epoch it reached, with its weights and optimizer state', async () => {
    const x = tf.tidy(() => tf.randomNormal([32, 3], 0, 1, 'float32', 5));
    const y = tf.tidy(() => tf.sum(x, -1, true));
    const make = () => {
      const m = new Sequential({
        layers: [new layers.Dense({ units: 1, inputShape: [3], kernelInitializer: 'zeros' })],
      });
      m.compile({ optimizer: new optimizers.Adam({ learningRate: 0.05 }), loss: 'mse' });
      return m;
    };
    const backupDir = join(dir, 'backup');
    // Reference: 4 uninterrupted epochs.
    const reference = make();
    await reference.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, ...quiet });
    // Interrupted after epoch index 1 (2 epochs done), then resumed by a fresh model.
    const first = make();
    const crash = new callbacks.LambdaCallback({
      onEpochEnd: (epoch) => {
        if (epoch === 1) throw new Error('simulated crash');
      },
    });
    await expect(
      first.fit(x, y, {
        epochs: 4,
        batchSize: 8,
        shuffle: false,
        callbacks: [new callbacks.BackupAndRestore(backupDir), crash],
        ...quiet,
      }),
    ).rejects.toThrow(/simulated crash/);
    const resumed = make();
    const h = await resumed.fit(x, y, {
      epochs: 4,
      batchSize: 8,
      shuffle: false,
      callbacks: [new callbacks.BackupAndRestore(backupDir)],
      ...quiet,
    });
    expect(h.epoch).toEqual([2, 3]);
    expect(resumed.optimizer!.iterations).toBe(16);
    const [a, b] = [reference.getWeights(), resumed.getWeights()];
    for (let i = 0; i < a.length; i++) {
      const [ra, rb] = [Array.from(a[i]!.dataSync()), Array.from(b[i]!.dataSync())];
      for (let k = 0; k < ra.length; k++) expect(rb[k]).toBeCloseTo(ra[k]!, 5);
    }
    tf.dispose([x, y]);
  });
});

describe('fit performance contract', () => {
  it('reads the device once per epoch at verbose 0: no per-step dataSync', async () => {
    const x = tf.tidy(() => tf.randomNormal([256, 8], 0, 1, 'float32', 9));
    const y = tf.tidy(() => tf.randomUniform([256], 0, 4, 'int32', 10));
    const model = new Sequential({
      layers: [
        new layers.Dense({ units: 16, activation: 'relu', inputShape: [8] }),
        new layers.Dense({ units: 4 }),
      ],
    });
    model.compile({
      optimizer: 'adam',
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    await model.fit(x, y, { epochs: 1, batchSize: 32, ...quiet });
    const reads = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const asyncReads = vi.spyOn(tf.Tensor.prototype, 'data');
    await model.fit(x, y, { epochs: 3, batchSize: 32, validationData: [x, y], ...quiet });
    // 8 steps per epoch: one read for the epoch's logs and one for its validation logs.
    expect(reads).toHaveBeenCalledTimes(6);
    expect(asyncReads).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    tf.dispose([x, y]);
  });
});
