/**
 * fit's data arguments, each checked directly against hand-derived numbers or recorded batches:
 * utils.setRandomSeed reproducibility end to end, shuffle, stepsPerEpoch (Keras's carry-over
 * semantics) and validationSteps (each evaluation starts afresh, as Keras's), sampleWeight, classWeight with validationSplit, verbose 'auto', and list
 * inputs to multi-input models. Every multi-epoch fit also checks that tf.memory() stays flat.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  backend,
  callbacks,
  data,
  Input,
  initializers,
  layers,
  Model,
  optimizers,
  Sequential,
  type StepData,
  type StepLogs,
  tf,
  utils,
} from '../index.js';

beforeAll(async () => {
  await backend.ready();
});

afterEach(() => {
  utils.clearRandomSeed();
  vi.restoreAllMocks();
});

const quiet = { verbose: 0 as const };
const column = (values: number[]) => tf.tensor2d(values, [values.length, 1]);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** tf.memory().numTensors at the end of every epoch. */
function memoryProbe(): { callback: callbacks.LambdaCallback; counts: number[] } {
  const counts: number[] = [];
  const callback = new callbacks.LambdaCallback({
    onEpochEnd: () => void counts.push(tf.memory().numTensors),
  });
  return { callback, counts };
}

/** Flat from the second epoch on (the first builds optimizer and metric state). */
function expectFlat(counts: number[]): void {
  expect(counts.length).toBeGreaterThanOrEqual(3);
  for (const c of counts.slice(2)) expect(c).toBe(counts[1]);
}

/** Dense(1), kernel of ones, no bias, frozen (SGD at rate 0): predicts x; records each batch's x. */
class Recording extends Sequential {
  readonly batches: number[][] = [];
  override trainStep(batch: StepData): StepLogs {
    this.batches.push(Array.from((batch[0] as tf.Tensor).dataSync()));
    return super.trainStep(batch);
  }
}

function identity(metrics: string[] = [], weightedMetrics: string[] = []): Recording {
  const model = new Recording({
    layers: [
      new layers.Dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', useBias: false }),
    ],
  });
  model.compile({
    optimizer: new optimizers.SGD({ learningRate: 0 }),
    loss: 'meanSquaredError',
    metrics,
    weightedMetrics,
  });
  return model;
}

describe('utils.setRandomSeed makes fit reproducible', () => {
  const x = () => tf.tidy(() => tf.randomNormal([40, 6], 0, 1, 'float32', 21));
  const y = () => tf.tidy(() => tf.randomNormal([40, 1], 0, 1, 'float32', 22));

  function makeModel(): Sequential {
    const model = new Sequential({
      layers: [
        new layers.Dense({ units: 16, activation: 'relu', inputShape: [6] }),
        new layers.Dropout({ rate: 0.5 }),
        new layers.Dense({ units: 1 }),
      ],
    });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse' });
    return model;
  }

  async function run(
    seed: number,
    start?: tf.Tensor[],
  ): Promise<{ weights: number[][]; loss: number[]; initial: tf.Tensor[]; counts: number[] }> {
    utils.setRandomSeed(seed);
    const model = makeModel();
    model.build([null, 6]);
    if (start) model.setWeights(start);
    const initial = model.getWeights();
    const [xs, ys] = [x(), y()];
    const probe = memoryProbe();
    const h = await model.fit(xs, ys, {
      epochs: 4,
      batchSize: 8,
      shuffle: true,
      callbacks: [probe.callback],
      ...quiet,
    });
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    tf.dispose([xs, ys]);
    model.dispose();
    return { weights, loss: h.history.loss!, initial, counts: probe.counts };
  }

  it('the same seed gives identical weights and history (shuffle on, dropout); another seed differs', async () => {
    const a = await run(5);
    const b = await run(5);
    expect(b.weights).toEqual(a.weights);
    expect(b.loss).toEqual(a.loss);
    expectFlat(a.counts);
    // Seed 6 from the same initial weights: only the shuffles and the dropout masks differ.
    const c = await run(6, a.initial);
    const d = await run(6, a.initial);
    expect(d.weights).toEqual(c.weights);
    expect(c.weights).not.toEqual(a.weights);
    expect(c.loss[0]).not.toBe(a.loss[0]);
    tf.dispose([...a.initial, ...b.initial, ...c.initial, ...d.initial]);
  });
});

describe('shuffle', () => {
  it('is off with shuffle: false, a fresh permutation per epoch with shuffle: true, reproducible by seed', async () => {
    const x = column(range(10));
    const y = tf.zeros([10, 1]);
    const plain = identity();
    await plain.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, ...quiet });
    expect(plain.batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    const orders = async (seed: number) => {
      utils.setRandomSeed(seed);
      const model = identity();
      const probe = memoryProbe();
      await model.fit(x, y, { epochs: 3, batchSize: 4, callbacks: [probe.callback], ...quiet });
      expectFlat(probe.counts);
      const epochs = [0, 1, 2].map((e) => model.batches.slice(3 * e, 3 * e + 3).flat());
      // Each epoch is a permutation of all ten samples in batches of 4, 4, 2.
      for (const e of epochs) expect([...e].sort((p, q) => p - q)).toEqual(range(10));
      expect(model.batches.map((b) => b.length)).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2]);
      return epochs;
    };
    const first = await orders(3);
    expect(first[0]).not.toEqual(range(10));
    expect(first[1]).not.toEqual(first[0]);
    expect(await orders(3)).toEqual(first);
    expect(await orders(4)).not.toEqual(first);
    tf.dispose([x, y]);
  });

  it('shuffles inputs, targets and sample weights together, and never mixes in the validation split', async () => {
    // Two inputs a and b = 10 a; out = a - 0.1 b is exactly 0 only while the rows stay aligned.
    const a = Input({ shape: [1], name: 'a' });
    const b = Input({ shape: [1], name: 'b' });
    const fixed = (name: string, w: number) =>
      new layers.Dense({
        units: 1,
        name,
        useBias: false,
        kernelInitializer: new initializers.Constant({ value: w }),
      });
    const model = new Model({
      inputs: [a, b],
      outputs: new layers.Add().apply([fixed('da', 1).apply(a), fixed('db', -0.1).apply(b)]),
    });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const xa = column(range(12));
    const xb = column(range(12).map((v) => 10 * v));
    const target = tf.zeros([12, 1]);
    utils.setRandomSeed(9);
    const probe = memoryProbe();
    const h = await model.fit([xa, xb], target, {
      epochs: 3,
      batchSize: 5,
      validationSplit: 0.25,
      callbacks: [probe.callback],
      ...quiet,
    });
    for (const v of [...h.history.loss!, ...h.history.val_loss!]) expect(v).toBeCloseTo(0, 5);
    expectFlat(probe.counts);
    tf.dispose([xa, xb, target]);

    // Sample weights travel with their samples: only the training split (1..6) is ever seen.
    const x = column(range(8));
    const y = tf.zeros([8, 1]);
    const sw = tf.tensor1d(range(8));
    const rec = identity();
    await rec.fit(x, y, { sampleWeight: sw, validationSplit: 0.25, batchSize: 3, ...quiet });
    expect(rec.batches.flat().sort((p, q) => p - q)).toEqual(range(6));
    tf.dispose([x, y, sw]);
  });
});

describe('stepsPerEpoch and validationSteps', () => {
  it('arrays: the pass carries on across epochs, ending early when the data runs out (as Keras)', async () => {
    const x = column(range(10));
    const y = tf.zeros([10, 1]);
    const model = identity();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const probe = memoryProbe();
    const h = await model.fit(x, y, {
      epochs: 4,
      batchSize: 4,
      stepsPerEpoch: 2,
      shuffle: false,
      callbacks: [probe.callback],
      ...quiet,
    });
    // 3 batches: [1-4] [5-8] | [9, 10] (ran out) | [1-4] [5-8] | [9, 10] (ran out).
    expect(model.batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(h.history.loss![1]).toBeCloseTo((81 + 100) / 2, 4);
    expect(h.history.loss![0]).toBeCloseTo(range(8).reduce((s, v) => s + v * v, 0) / 8, 4);
    expect(warn).toHaveBeenCalledTimes(1);
    expectFlat(probe.counts);
    tf.dispose([x, y]);
  });

  it('datasets: the iterator carries on across epochs; a pass that ends on an epoch boundary restarts', async () => {
    const values = (n: number) =>
      data.Dataset.fromGenerator(function* () {
        for (let i = 1; i <= n; i++) yield [column([i]), column([0])] as [tf.Tensor, tf.Tensor];
      });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const even = identity();
    const probe = memoryProbe();
    await even.fit(values(4), {
      epochs: 3,
      stepsPerEpoch: 2,
      callbacks: [probe.callback],
      ...quiet,
    });
    expect(even.batches).toEqual([[1], [2], [3], [4], [1], [2]]);
    expect(warn).not.toHaveBeenCalled();
    expectFlat(probe.counts);
    // Five batches: the third epoch gets the fifth alone (the data ran out), the fourth starts over.
    const odd = identity();
    const h = await odd.fit(values(5), { epochs: 5, stepsPerEpoch: 2, ...quiet });
    expect(odd.batches).toEqual([[1], [2], [3], [4], [5], [1], [2], [3], [4]]);
    expect(h.history.loss![2]).toBeCloseTo(25, 4);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /fit: the data ran out after 1 of stepsPerEpoch=2 steps/,
    );
  });

  it('validationSteps limits each validation to its first batches, starting afresh each time (datasets and arrays)', async () => {
    const x = column(range(4));
    const y = tf.zeros([4, 1]);
    const valSet = data.Dataset.fromTensorSlices([x, y]).batch(1);
    const model = identity();
    const probe = memoryProbe();
    const fromDataset = await model.fit(x, y, {
      epochs: 3,
      validationData: valSet,
      validationSteps: 2,
      callbacks: [probe.callback],
      ...quiet,
    });
    // As Keras 3.15.1 (its evaluate resets the iterator; checked with arrays and a PyDataset):
    // every validation sees batches 1, 2 (squared errors of x against 0), never 3, 4.
    expect(fromDataset.history.val_loss).toEqual([
      expect.closeTo(2.5, 5),
      expect.closeTo(2.5, 5),
      expect.closeTo(2.5, 5),
    ]);
    expectFlat(probe.counts);
    const fromArrays = await model.fit(x, y, {
      epochs: 3,
      validationData: [x, y],
      validationBatchSize: 2,
      validationSteps: 1,
      ...quiet,
    });
    expect(fromArrays.history.val_loss).toEqual([
      expect.closeTo(2.5, 5),
      expect.closeTo(2.5, 5),
      expect.closeTo(2.5, 5),
    ]);
    // A one-shot iterator (a generator object) cannot start again, so it carries on instead:
    // batches 1, 2 | 3, 4 | then it has run out (the third validation sees nothing new).
    function* once() {
      for (let i = 1; i <= 4; i++) yield [column([i]), column([0])] as [tf.Tensor, tf.Tensor];
    }
    const oneShot = await model.fit(x, y, {
      epochs: 2,
      validationData: once(),
      validationSteps: 2,
      ...quiet,
    });
    expect(oneShot.history.val_loss).toEqual([expect.closeTo(2.5, 5), expect.closeTo(12.5, 5)]);
    // validationSteps also applies to the validationSplit part (samples 7, 8, 9, 10 here).
    const x10 = column(range(10));
    const y10 = tf.zeros([10, 1]);
    const split = await model.fit(x10, y10, {
      validationSplit: 0.4,
      validationBatchSize: 1,
      validationSteps: 1,
      ...quiet,
    });
    expect(split.history.val_loss![0]).toBeCloseTo(49, 5);
    valSet.dispose();
    tf.dispose([x, y, x10, y10]);
  });

  it('a validation that runs out before validationSteps warns once, naming validationSteps', async () => {
    const x = column(range(4));
    const y = tf.zeros([4, 1]);
    const model = identity();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const h = await model.fit(x, y, {
      epochs: 2,
      validationData: [x, y],
      validationBatchSize: 2,
      validationSteps: 3,
      ...quiet,
    });
    // Both batches (all 4 samples: mean of 1, 4, 9, 16) in each validation, then it ran out.
    expect(h.history.val_loss).toEqual([expect.closeTo(7.5, 5), expect.closeTo(7.5, 5)]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/ran out after 2 of validationSteps=3 steps/);
    warn.mockRestore();
    tf.dispose([x, y]);
  });
});

describe('sample and class weights', () => {
  it('sampleWeight weights the training and validation loss and the weightedMetrics (hand-derived)', async () => {
    const x = column([1, 2, 3, 4]);
    const y = tf.zeros([4, 1]);
    const sw = tf.tensor1d([1, 0, 0, 2]);
    const model = identity(['mse'], ['mae']);
    utils.setRandomSeed(1);
    const probe = memoryProbe();
    const h = await model.fit(x, y, {
      sampleWeight: sw,
      validationData: [x, y, sw],
      epochs: 3,
      batchSize: 3,
      callbacks: [probe.callback],
      ...quiet,
    });
    // Squared errors 1, 4, 9, 16. Loss: sum(w * e^2) / n = (1 + 32) / 4 (Keras sum_over_batch_size,
    // batch losses averaged by batch size, so the batching and shuffling do not change it).
    // Weighted mae: sum(w * |e|) / sum(w) = (1 + 8) / 3. Unweighted mse: 30 / 4.
    for (const key of ['loss', 'val_loss'])
      for (const v of h.history[key]!) expect(v).toBeCloseTo(33 / 4, 4);
    for (const key of ['mae', 'val_mae'])
      for (const v of h.history[key]!) expect(v).toBeCloseTo(3, 5);
    for (const key of ['mse', 'val_mse'])
      for (const v of h.history[key]!) expect(v).toBeCloseTo(7.5, 4);
    expectFlat(probe.counts);
    const bad = tf.ones([3]);
    await expect(model.fit(x, y, { sampleWeight: bad, ...quiet })).rejects.toThrow(
      /same number of samples; received sizes \[4, 4, 3\]/,
    );
    tf.dispose([x, y, sw, bad]);
  });

  it('classWeight weights the training samples only: the validation split stays unweighted (as Keras)', async () => {
    const x = column([1, 2, 3, 4, 5]);
    const y = column([0, 1, 1, 0, 1]);
    const model = identity();
    // Split at floor(5 * 0.6) = 3. Train errors^2 1, 1, 4 with class weights 2, 0.5, 0.5:
    // (2 + 0.5 + 2) / 3 = 1.5. Validation (4 vs 0, 5 vs 1): (16 + 16) / 2, unweighted.
    const h = await model.fit(x, y, {
      classWeight: { 0: 2, 1: 0.5 },
      validationSplit: 0.4,
      shuffle: false,
      ...quiet,
    });
    expect(h.history.loss![0]).toBeCloseTo(1.5, 5);
    expect(h.history.val_loss![0]).toBeCloseTo(16, 5);
    tf.dispose([x, y]);
  });
});

describe('verbose and input structures', () => {
  it("verbose 'auto' prints what verbose 1 prints (Keras: 'auto' is 1 for fit)", async () => {
    const x = column(range(6));
    const y = tf.zeros([6, 1]);
    const model = identity();
    const printed = async (verbose: 1 | 'auto') => {
      let out = '';
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        out += String(chunk);
        return true;
      });
      await model.fit(x, y, { epochs: 2, batchSize: 3, verbose });
      write.mockRestore();
      return out.replace(/\d+[mu]?s/g, 'T');
    };
    const auto = await printed('auto');
    expect(auto).toContain('Epoch 2/2');
    expect(auto).toMatch(/2\/2 .*loss: 15\.1667/);
    expect(auto).toBe(await printed(1));
    tf.dispose([x, y]);
  });

  it('multi-input models take x as a list in input order, and say so when its length is wrong', async () => {
    const a = Input({ shape: [1], name: 'a' });
    const b = Input({ shape: [2], name: 'b' });
    const dense = (name: string) =>
      new layers.Dense({ units: 1, name, kernelInitializer: 'ones', useBias: false });
    const model = new Model({
      inputs: [a, b],
      outputs: [dense('pa').apply(a), dense('pb').apply(b)],
    });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: ['mse', 'mae'] });
    const xa = column([1, 2]);
    const xb = tf.tensor2d([
      [1, 1],
      [2, 3],
    ]);
    const zeros = tf.zeros([2, 1]);
    const probe = memoryProbe();
    const h = await model.fit([xa, xb], [zeros, zeros], {
      epochs: 3,
      callbacks: [probe.callback],
      ...quiet,
    });
    // pa = a: mse (1 + 4) / 2; pb = b1 + b2 = 2, 5: mae (2 + 5) / 2; mixing list x and record y.
    expect(h.history.pa_loss![2]).toBeCloseTo(2.5, 5);
    expect(h.history.pb_loss![2]).toBeCloseTo(3.5, 5);
    expectFlat(probe.counts);
    const mixed = await model.fit([xa, xb], { pb: zeros, pa: zeros }, quiet);
    expect(mixed.history.loss![0]).toBeCloseTo(6, 5);
    await expect(model.fit([xa], [zeros, zeros], quiet)).rejects.toThrow(
      /x is a list of 1 tensors, but the model has 2 inputs \[a, b\]/,
    );
    await expect(model.fit([xa, xb], [zeros], quiet)).rejects.toThrow(
      /y is a list of 1 tensors, but the model has 2 outputs \[pa, pb\]/,
    );
    tf.dispose([xa, xb, zeros]);
  });
});
