import { beforeAll, describe, expect, it } from 'vitest';
import {
  backend,
  callbacks,
  datasets,
  Input,
  layers,
  losses,
  Model,
  optimizers,
  Sequential,
  type StepData,
  type StepLogs,
  tf,
  valueAndGrads,
} from '../index.js';

let xTrain: tf.Tensor2D;
let yTrain: tf.Tensor1D;
let xTest: tf.Tensor2D;
let yTest: tf.Tensor1D;

beforeAll(async () => {
  await backend.ready();
  const [[xa, ya], [xb, yb]] = await datasets.digits.loadData();
  xTrain = tf.tidy(() => xa.reshape([-1, 64]).div(16)) as tf.Tensor2D;
  xTest = tf.tidy(() => xb.reshape([-1, 64]).div(16)) as tf.Tensor2D;
  yTrain = ya as tf.Tensor1D;
  yTest = yb as tf.Tensor1D;
  xa.dispose();
  xb.dispose();
});

function mlp(): Sequential {
  tf.util.assert(true, () => '');
  return new Sequential({
    layers: [
      new layers.Dense({ units: 32, activation: 'relu', inputShape: [64] }),
      new layers.Dense({ units: 10 }),
    ],
  });
}

const quiet = { verbose: 0 as const };

describe('compile / fit / evaluate / predict', () => {
  it('fits digits with Keras log keys, validates, evaluates and predicts', async () => {
    const model = mlp();
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 1e-2 }),
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const history = await model.fit(xTrain, yTrain, {
      epochs: 5,
      batchSize: 32,
      validationSplit: 0.1,
      ...quiet,
    });
    expect(Object.keys(history.history).sort()).toEqual([
      'accuracy',
      'loss',
      'val_accuracy',
      'val_loss',
    ]);
    expect(history.epoch).toEqual([0, 1, 2, 3, 4]);
    const loss = history.history.loss!;
    expect(loss).toHaveLength(5);
    expect(loss[4]!).toBeLessThan(loss[0]!);
    expect(history.history.val_accuracy![4]!).toBeGreaterThan(0.85);
    expect(model.metricsNames).toEqual(['loss', 'accuracy']);
    // 1438 samples, 10% held out: 1295 train -> 41 steps of 32 -> 41 optimizer iterations per epoch.
    expect(model.optimizer!.iterations).toBe(5 * Math.ceil(Math.floor(1438 * 0.9) / 32));

    const result = (await model.evaluate(xTest, yTest, { returnDict: true, ...quiet })) as Record<
      string,
      number
    >;
    expect(Object.keys(result).sort()).toEqual(['accuracy', 'loss']);
    expect(result.accuracy).toBeGreaterThan(0.85);
    // evaluate's accuracy equals the accuracy of predict's argmax (an independent computation).
    const logits = (await model.predict(xTest, { batchSize: 64 })) as tf.Tensor;
    expect(logits.shape).toEqual([xTest.shape[0], 10]);
    const acc = tf.tidy(
      () => tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), yTest), 'float32')).dataSync()[0]!,
    );
    expect(result.accuracy).toBeCloseTo(acc, 5);
    // evaluate's loss equals the loss function on the full predictions.
    const full = tf.tidy(
      () =>
        losses
          .sparseCategoricalCrossentropy(yTest, logits, { fromLogits: true })
          .mean()
          .dataSync()[0]!,
    );
    expect(result.loss).toBeCloseTo(full, 4);
    const list = await model.evaluate(xTest, yTest, quiet);
    expect(list).toEqual([result.loss, result.accuracy]);
    logits.dispose();
  });

  it('keeps tf.memory().numTensors identical after epoch 2 and epoch 5, and across predict calls', async () => {
    const model = mlp();
    model.compile({
      optimizer: 'adam',
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const counts: number[] = [];
    const probe = new callbacks.LambdaCallback({
      onEpochEnd: async () => void counts.push(tf.memory().numTensors),
    });
    await model.fit(xTrain, yTrain, {
      epochs: 5,
      batchSize: 64,
      callbacks: [probe],
      validationData: [xTest, yTest],
      ...quiet,
    });
    expect(counts[4]).toBe(counts[1]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) ((await model.predict(xTest)) as tf.Tensor).dispose();
    expect(tf.memory().numTensors).toBe(before);
    await model.evaluate(xTest, yTest, quiet);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sampleWeight and classWeight weight the loss exactly as Keras (sum_over_batch_size)', async () => {
    const x = tf.tensor2d([[1], [2], [3], [4]]);
    const y = tf.tensor2d([[0], [0], [0], [0]]);
    const model = new Sequential({
      layers: [
        new layers.Dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', useBias: false }),
      ],
    });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    const sw = tf.tensor1d([1, 0, 0, 2]);
    // per-sample squared errors 1, 4, 9, 16; weighted sum 1 + 32 = 33, over 4 samples.
    const logs = await model.testOnBatch(x, y, { sampleWeight: sw });
    expect(logs.loss).toBeCloseTo(33 / 4, 5);
    const labels = tf.tensor1d([0, 1, 1, 0]);
    const cls = new Sequential({
      layers: [
        new layers.Dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', useBias: false }),
      ],
    });
    cls.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
    // classWeight {0: 1, 1: 0.5}: errors (1-0)^2, (2-1)^2, (3-1)^2, (4-0)^2 = 1, 1, 4, 16 -> 1 + 0.5 + 2 + 16 = 19.5 / 4
    const h = await cls.fit(x, labels.expandDims(-1), {
      classWeight: { 0: 1, 1: 0.5 },
      batchSize: 4,
      shuffle: false,
      ...quiet,
    });
    expect(h.history.loss![0]).toBeCloseTo(19.5 / 4, 5);
    await expect(cls.fit(x, y, { classWeight: { 1: 1 }, ...quiet })).rejects.toThrow(
      /class 0 is missing/,
    );
    tf.dispose([x, y, sw, labels]);
  });

  it('multi-output: per-output losses, lossWeights and metrics with Keras names', async () => {
    const input = Input({ shape: [64] });
    const hidden = new layers.Dense({ units: 16, activation: 'relu' }).apply(input);
    const digit = new layers.Dense({ units: 10, name: 'digit' }).apply(hidden);
    const even = new layers.Dense({ units: 1, activation: 'sigmoid', name: 'even' }).apply(hidden);
    const model = new Model({ inputs: input, outputs: [digit, even] });
    model.compile({
      optimizer: 'adam',
      loss: {
        digit: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
        even: 'binary_crossentropy',
      },
      lossWeights: { digit: 1, even: 0.5 },
      metrics: { digit: ['accuracy'], even: ['accuracy'] },
    });
    const isEven = tf.tidy(() => tf.cast(tf.equal(tf.mod(yTrain, 2), 0), 'float32').expandDims(-1));
    const history = await model.fit(
      xTrain,
      { digit: yTrain, even: isEven },
      { epochs: 2, batchSize: 64, ...quiet },
    );
    expect(Object.keys(history.history).sort()).toEqual([
      'digit_accuracy',
      'digit_loss',
      'even_accuracy',
      'even_loss',
      'loss',
    ]);
    const h = history.history;
    // total = digit_loss + 0.5 * even_loss: as Keras 3, the per-output logs are before lossWeights.
    expect(h.loss![1]!).toBeCloseTo(h.digit_loss![1]! + 0.5 * h.even_loss![1]!, 4);
    const logs = await model.testOnBatch(xTrain, [yTrain, isEven]);
    const [p0, p1] = model.predictOnBatch(xTrain) as tf.Tensor[];
    const evenBce = tf.tidy(() => losses.binaryCrossentropy(isEven, p1!).mean().dataSync()[0]!);
    expect(logs.even_loss).toBeCloseTo(evenBce, 4);
    expect(logs.loss).toBeCloseTo(logs.digit_loss! + 0.5 * evenBce, 4);
    tf.dispose([isEven, p0!, p1!]);
  });

  it('fits from an async iterable of [x, y] batches', async () => {
    const model = mlp();
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 1e-2 }),
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const dataset = {
      async *[Symbol.asyncIterator]() {
        for (let start = 0; start < 1400; start += 100)
          yield [xTrain.slice(start, 100), yTrain.slice(start, 100)];
      },
    };
    const h = await model.fit(dataset, { epochs: 3, ...quiet });
    expect(h.history.loss).toHaveLength(3);
    expect(model.optimizer!.iterations).toBe(42);
    const before = tf.memory().numTensors;
    await model.fit(dataset, { epochs: 1, ...quiet });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('EarlyStopping stops training and restores the best weights; stopTraining ends fit', async () => {
    const model = mlp();
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0 }),
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    });
    const h = await model.fit(xTrain, yTrain, {
      epochs: 20,
      validationData: [xTest, yTest],
      callbacks: [
        new callbacks.EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true }),
      ],
      ...quiet,
    });
    // lr 0: val_loss never improves after epoch 0, so patience 2 stops after epoch 2.
    expect(h.epoch).toEqual([0, 1, 2]);
    const stopper = new callbacks.LambdaCallback({
      onTrainBatchEnd: async (batch: number) => {
        if (batch === 3) model.stopTraining = true;
      },
    });
    const h2 = await model.fit(xTrain, yTrain, { epochs: 5, callbacks: [stopper], ...quiet });
    expect(h2.epoch).toEqual([0]);
  });

  it('errors name the fix when fit runs before compile or the loss is unknown', async () => {
    const model = mlp();
    await expect(model.fit(xTrain, yTrain, quiet)).rejects.toThrow(
      /fit\(\) needs a compiled model\. Fix: call model\.compile/,
    );
    expect(() => model.compile({ loss: 'sparse_crossentropy' })).not.toThrow();
    await expect(model.fit(xTrain, yTrain, quiet)).rejects.toThrow(
      /unknown loss 'sparse_crossentropy'/,
    );
  });
});

describe('custom training', () => {
  it('an overridden trainStep keeps callbacks, metrics and validation', async () => {
    class Custom extends Sequential {
      steps = 0;
      override trainStep(data: StepData): StepLogs {
        this.steps++;
        const [x, y] = data;
        const vars = this.trainableWeights;
        let pred: tf.Tensor | undefined;
        const { value, grads } = valueAndGrads(() => {
          pred = tf.keep(this.apply(x as tf.Tensor, { training: true }) as tf.Tensor);
          return this.computeLoss({ y, yPred: pred });
        }, vars);
        this.optimizer!.applyGradients(grads, vars);
        this.metrics[0]!.updateState(value);
        const logs = this.computeMetrics(x, y, pred!);
        pred!.dispose();
        return logs;
      }
    }
    const model = new Custom({
      layers: [
        new layers.Dense({ units: 32, activation: 'relu', inputShape: [64] }),
        new layers.Dense({ units: 10 }),
      ],
    });
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 1e-2 }),
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const seen: number[] = [];
    const h = await model.fit(xTrain, yTrain, {
      epochs: 3,
      batchSize: 64,
      validationData: [xTest, yTest],
      callbacks: [
        new callbacks.LambdaCallback({ onEpochEnd: async (e: number) => void seen.push(e) }),
      ],
      ...quiet,
    });
    expect(model.steps).toBe(3 * Math.ceil(1438 / 64));
    expect(seen).toEqual([0, 1, 2]);
    expect(h.history.val_accuracy![2]!).toBeGreaterThan(0.8);
    expect(h.history.accuracy![2]!).toBeGreaterThan(h.history.accuracy![0]!);
  });
});
