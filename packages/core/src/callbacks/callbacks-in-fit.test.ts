/**
 * Callbacks driven by a real fit / evaluate / predict (callbacks.test.ts drives them with a fake
 * model): every LambdaCallback hook with its arguments and counts, and ModelCheckpoint saving the
 * best model by monitor and mode, through atomic writes, reloading to the same predictions.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, callbacks, layers, optimizers, Sequential, saving, tf, utils } from '../index.js';

let dir: string;
beforeAll(async () => {
  await backend.ready();
  dir = mkdtempSync(join(tmpdir(), 'cornu-callbacks-fit-'));
});
afterAll(() => {
  utils.clearRandomSeed();
  rmSync(dir, { recursive: true, force: true });
});

const column = (values: number[]) => tf.tensor2d(values, [values.length, 1]);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const fixed = (logs?: Record<string, number>) =>
  Object.fromEntries(Object.entries(logs ?? {}).map(([k, v]) => [k, Number(v.toFixed(4))]));

describe('LambdaCallback in a real fit, evaluate and predict', () => {
  it('calls every hook in Keras order, with the epoch / batch index and running logs', async () => {
    // Dense(1), kernel ones, frozen: predicts x, so every batch loss is a mean of squares.
    const model = new Sequential({
      layers: [
        new layers.Dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', useBias: false }),
      ],
    });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const x = column(range(10));
    const y = tf.zeros([10, 1]);
    const vx = column(range(6));
    const vy = tf.zeros([6, 1]);
    const seen: string[] = [];
    const log =
      (name: string) =>
      (...args: unknown[]) => {
        const [first, second] = args;
        const index = typeof first === 'number' ? ` ${first}` : '';
        const logs = (typeof first === 'number' ? second : first) as Record<string, number>;
        seen.push(`${name}${index} ${JSON.stringify(fixed(logs))}`);
      };
    const hooks = new callbacks.LambdaCallback({
      onTrainBegin: log('trainBegin'),
      onTrainEnd: log('trainEnd'),
      onEpochBegin: log('epochBegin'),
      onEpochEnd: log('epochEnd'),
      onTrainBatchBegin: log('trainBatchBegin'),
      onTrainBatchEnd: log('trainBatchEnd'),
      onTestBegin: log('testBegin'),
      onTestEnd: log('testEnd'),
      onTestBatchBegin: log('testBatchBegin'),
      onTestBatchEnd: log('testBatchEnd'),
      onPredictBegin: log('predictBegin'),
      onPredictEnd: log('predictEnd'),
      onPredictBatchBegin: log('predictBatchBegin'),
      onPredictBatchEnd: (batch, logs) => {
        const outputs = logs?.outputs as tf.Tensor;
        seen.push(`predictBatchEnd ${batch} ${JSON.stringify(Array.from(outputs.dataSync()))}`);
      },
    });
    await model.fit(x, y, {
      epochs: 2,
      batchSize: 4,
      shuffle: false,
      validationData: [vx, vy],
      callbacks: [hooks],
      verbose: 0,
    });
    // Running means of x^2: train 30/4, (30 + 174)/8, 385/10; validation 30/4, 91/6.
    const epoch = (e: number) => [
      `epochBegin ${e} {}`,
      'trainBatchBegin 0 {}',
      'trainBatchEnd 0 {"loss":7.5}',
      'trainBatchBegin 1 {}',
      'trainBatchEnd 1 {"loss":25.5}',
      'trainBatchBegin 2 {}',
      'trainBatchEnd 2 {"loss":38.5}',
      'testBegin {}',
      'testBatchBegin 0 {}',
      'testBatchEnd 0 {"loss":7.5}',
      'testBatchBegin 1 {}',
      'testBatchEnd 1 {"loss":15.1667}',
      'testEnd {"loss":15.1667}',
      `epochEnd ${e} {"loss":38.5,"val_loss":15.1667}`,
    ];
    expect(seen).toEqual([
      'trainBegin {}',
      ...epoch(0),
      ...epoch(1),
      'trainEnd {"loss":38.5,"val_loss":15.1667}',
    ]);

    seen.length = 0;
    await model.evaluate(vx, vy, { batchSize: 5, callbacks: [hooks], verbose: 0 });
    expect(seen).toEqual([
      'testBegin {}',
      'testBatchBegin 0 {}',
      'testBatchEnd 0 {"loss":11}',
      'testBatchBegin 1 {}',
      'testBatchEnd 1 {"loss":15.1667}',
      'testEnd {"loss":15.1667}',
    ]);

    seen.length = 0;
    const before = tf.memory().numTensors;
    const out = (await model.predict(x, { batchSize: 4, callbacks: [hooks] })) as tf.Tensor;
    expect(seen).toEqual([
      'predictBegin {}',
      'predictBatchBegin 0 {}',
      'predictBatchEnd 0 [1,2,3,4]',
      'predictBatchBegin 1 {}',
      'predictBatchEnd 1 [5,6,7,8]',
      'predictBatchBegin 2 {}',
      'predictBatchEnd 2 [9,10]',
      'predictEnd {}',
    ]);
    expect(Array.from(out.dataSync())).toEqual(range(10));
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, vx, vy]);
    model.dispose();
  });
});

describe('ModelCheckpoint in a real fit', () => {
  // A learnable target (the class of x0 + x1, cut at -0.5 and 0.5) and a large learning rate: the
  // validation metrics improve, with setbacks.
  const data = () =>
    tf.tidy(() => {
      const x = tf.randomNormal([48, 4], 0, 1, 'float32', 31);
      const s = tf.add(x.slice([0, 0], [48, 1]), x.slice([0, 1], [48, 1])).reshape([48]);
      const y = tf.add(tf.cast(tf.greater(s, -0.5), 'int32'), tf.cast(tf.greater(s, 0.5), 'int32'));
      return [x.slice(0, 32), y.slice(0, 32), x.slice(32, 16), y.slice(32, 16)] as const;
    });

  function makeModel(learningRate = 3): Sequential {
    const model = new Sequential({
      layers: [
        new layers.Dense({ units: 16, activation: 'relu', inputShape: [4] }),
        new layers.Dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({
      optimizer: new optimizers.SGD({ learningRate }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    return model;
  }

  /** Fits 10 epochs and records each epoch's logs and validation predictions. */
  async function fitWith(checkpoint: callbacks.ModelCheckpoint, learningRate = 3) {
    utils.setRandomSeed(3);
    const [x, y, vx, vy] = data();
    const model = makeModel(learningRate);
    const epochs: { logs: Record<string, number>; predictions: number[] }[] = [];
    const counts: number[] = [];
    const recorder = new callbacks.LambdaCallback({
      onEpochEnd: async (_epoch, logs) => {
        const p = (await model.predict(vx)) as tf.Tensor;
        epochs.push({ logs: { ...logs }, predictions: Array.from(p.dataSync()) });
        p.dispose();
        counts.push(tf.memory().numTensors);
      },
    });
    await model.fit(x, y, {
      epochs: 10,
      batchSize: 8,
      validationData: [vx, vy],
      callbacks: [recorder, checkpoint],
      verbose: 0,
    });
    // Saving every epoch leaves no tensor behind.
    for (const c of counts.slice(2)) expect(c).toBe(counts[1]);
    return { model, epochs, vx, dispose: () => tf.dispose([x, y, vx, vy]) };
  }

  /** The 1-based epochs at which `key` improved on its best so far (strictly), by `better`. */
  function improvements(
    epochs: { logs: Record<string, number> }[],
    key: string,
    better: (a: number, b: number) => boolean,
  ): number[] {
    let best: number | null = null;
    const out: number[] = [];
    epochs.forEach(({ logs }, i) => {
      const v = logs[key]!;
      if (best === null || better(v, best)) {
        best = v;
        out.push(i + 1);
      }
    });
    return out;
  }

  it("saveBestOnly on val_loss ('auto' = min) writes exactly the improving epochs; the file reloads to the best epoch's predictions", async () => {
    const sub = join(dir, 'loss');
    const checkpoint = new callbacks.ModelCheckpoint(
      join(sub, 'ckpt-{epoch:02d}-{val_loss:.3f}.keras'),
      { saveBestOnly: true },
    );
    const { model, epochs, vx, dispose } = await fitWith(checkpoint);
    const improved = improvements(epochs, 'val_loss', (a, b) => a < b);
    // The run is only a test of saveBestOnly if some epoch did not improve.
    expect(improved.length).toBeGreaterThan(1);
    expect(improved.length).toBeLessThan(10);
    const expectedNames = improved.map(
      (e) => `ckpt-${String(e).padStart(2, '0')}-${epochs[e - 1]!.logs.val_loss!.toFixed(3)}.keras`,
    );
    expect(checkpoint.saved).toEqual(expectedNames.map((n) => join(sub, n)));
    // Atomic writes: the finished files and nothing else (no temporary files left behind).
    expect(readdirSync(sub).sort()).toEqual([...expectedNames].sort());
    const best = improved.at(-1)!;
    expect(checkpoint.best).toBe(epochs[best - 1]!.logs.val_loss);
    const restored = await saving.loadModel(checkpoint.saved.at(-1)!);
    const p = (await restored.predict(vx)) as tf.Tensor;
    const want = epochs[best - 1]!.predictions;
    Array.from(p.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    p.dispose();
    restored.dispose();
    model.dispose();
    dispose();
  });

  it("monitor val_accuracy: 'auto' means max, 'min' reverses it, initialValueThreshold; saveWeightsOnly overwrites one file", async () => {
    const sub = join(dir, 'accuracy');
    const path = join(sub, 'best.weights.h5');
    const maxCheckpoint = new callbacks.ModelCheckpoint(path, {
      monitor: 'val_accuracy',
      saveBestOnly: true,
      saveWeightsOnly: true,
    });
    const { model, epochs, vx, dispose } = await fitWith(maxCheckpoint);
    const improvedMax = improvements(epochs, 'val_accuracy', (a, b) => a > b);
    expect(maxCheckpoint.saved).toHaveLength(improvedMax.length);
    expect(maxCheckpoint.best).toBe(Math.max(...epochs.map((e) => e.logs.val_accuracy!)));
    expect(readdirSync(sub)).toEqual(['best.weights.h5']);
    // Loading the weights into a fresh model gives the predictions of the last improving epoch.
    const fresh = makeModel();
    fresh.build([null, 4]);
    await fresh.loadWeights(path);
    const p = (await fresh.predict(vx)) as tf.Tensor;
    const want = epochs[improvedMax.at(-1)! - 1]!.predictions;
    Array.from(p.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    p.dispose();
    fresh.dispose();
    model.dispose();
    dispose();

    const minCheckpoint = new callbacks.ModelCheckpoint(join(dir, 'min', 'e{epoch}.keras'), {
      monitor: 'val_accuracy',
      mode: 'min',
      saveBestOnly: true,
    });
    const run = await fitWith(minCheckpoint);
    const improvedMin = improvements(run.epochs, 'val_accuracy', (a, b) => a < b);
    expect(minCheckpoint.saved).toEqual(improvedMin.map((e) => join(dir, 'min', `e${e}.keras`)));
    expect(improvedMin).not.toEqual(improvedMax);

    // initialValueThreshold: the first save must beat it.
    const threshold = 0.8;
    const thresholdCheckpoint = new callbacks.ModelCheckpoint(join(dir, 'th', 'e{epoch}.keras'), {
      monitor: 'val_accuracy',
      saveBestOnly: true,
      initialValueThreshold: threshold,
    });
    const third = await fitWith(thresholdCheckpoint);
    let best = threshold;
    const above: number[] = [];
    third.epochs.forEach(({ logs }, i) => {
      if (logs.val_accuracy! > best) {
        best = logs.val_accuracy!;
        above.push(i + 1);
      }
    });
    expect(above.length).toBeGreaterThan(0);
    expect(above[0]).toBeGreaterThan(1);
    expect(thresholdCheckpoint.saved).toEqual(above.map((e) => join(dir, 'th', `e${e}.keras`)));
    third.model.dispose();
    third.dispose();
    run.model.dispose();
    run.dispose();
  });
});
