/**
 * Levels 3 and 4 of progressive disclosure: overriding trainStep / testStep / predictStep keeps
 * every fit feature (callbacks, the progress bar, metrics, validation); and a hand-written loop with
 * valueAndGrads + optimizer.applyGradients. Also the progress output at each verbosity.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  backend,
  callbacks,
  datasets,
  layers,
  losses,
  metrics,
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
  tf.dispose([xa, xb]);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const hidden = () => [
  new layers.Dense({ units: 32, activation: 'relu', inputShape: [64] }),
  new layers.Dense({ units: 10 }),
];

/** A writable that records what it is given; `isTTY` decides live bar vs plain lines. */
function recorder(isTTY: boolean): {
  stream: NodeJS.WritableStream & { isTTY: boolean };
  text: () => string;
} {
  let out = '';
  const stream = {
    isTTY,
    columns: 200,
    write: (chunk: string) => {
      out += chunk;
      return true;
    },
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  };
  return {
    stream: stream as unknown as NodeJS.WritableStream & { isTTY: boolean },
    text: () => out,
  };
}

describe('custom steps', () => {
  it('trainStep, testStep and predictStep overrides keep callbacks, the progress bar, metrics and validation', async () => {
    class Tracked extends Sequential {
      trainSteps = 0;
      testSteps = 0;
      readonly gradNorm = new metrics.Mean({ name: 'grad_norm' });
      /** Keras's documented custom step: forward, loss, gradients, update, metrics; plus a logged extra. */
      override trainStep(data: StepData): StepLogs {
        this.trainSteps++;
        const [x, y] = data;
        const variables = this.trainableWeights;
        let yPred: tf.Tensor | undefined;
        const { value, grads } = valueAndGrads(() => {
          yPred = tf.keep(this.apply(x as tf.Tensor, { training: true }) as tf.Tensor);
          return this.computeLoss({ x, y, yPred });
        }, variables);
        this.optimizer!.applyGradients(grads, variables);
        this.metrics[0]!.updateState(value);
        this.gradNorm.updateState(tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))));
        const logs = this.computeMetrics(x, y, yPred!);
        yPred!.dispose();
        return { ...logs, grad_norm: this.gradNorm.result() };
      }
      override testStep(data: StepData): StepLogs {
        this.testSteps++;
        return super.testStep(data);
      }
      /** Predictions as probabilities instead of logits. */
      override predictStep(data: StepData): tf.Tensor {
        return tf.softmax(super.predictStep(data) as tf.Tensor);
      }
      override resetMetrics(): void {
        super.resetMetrics();
        this.gradNorm.resetState();
      }
    }
    const model = new Tracked({ layers: hidden() });
    model.compile({
      optimizer: new optimizers.Adam({ learningRate: 1e-2 }),
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const { stream, text } = recorder(false);
    const epochs: number[] = [];
    const history = await model.fit(xTrain, yTrain, {
      epochs: 3,
      batchSize: 64,
      validationData: [xTest, yTest],
      verbose: 1,
      callbacks: [
        new callbacks.ProgbarLogger({ stream }),
        new callbacks.LambdaCallback({ onEpochEnd: (epoch) => void epochs.push(epoch) }),
      ],
    });
    const stepsPerEpoch = Math.ceil(1438 / 64);
    expect(model.trainSteps).toBe(3 * stepsPerEpoch);
    expect(model.testSteps).toBe(3 * Math.ceil(360 / 64));
    expect(epochs).toEqual([0, 1, 2]);
    expect(Object.keys(history.history).sort()).toEqual([
      'accuracy',
      'grad_norm',
      'loss',
      'val_accuracy',
      'val_loss',
    ]);
    expect(history.history.grad_norm![0]!).toBeGreaterThan(0);
    expect(history.history.val_accuracy![2]!).toBeGreaterThan(0.85);
    // The progress output names the epoch, the steps, the time per step and every metric.
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('Epoch 1/3');
    expect(lines[1]).toMatch(
      new RegExp(
        `^${stepsPerEpoch}/${stepsPerEpoch} - \\d+s \\d+[mu]?s/step - loss: [\\d.]+ - accuracy: [\\d.]+ - grad_norm: [\\d.]+ - val_loss: [\\d.]+ - val_accuracy: [\\d.]+$`,
      ),
    );
    // predict goes through predictStep: rows are probabilities.
    const probabilities = (await model.predict(xTest, { batchSize: 100 })) as tf.Tensor;
    const rowSums = tf.tidy(() => tf.sum(probabilities, -1));
    for (const s of rowSums.dataSync()) expect(s).toBeCloseTo(1, 5);
    const counted = (await model.evaluate(xTest, yTest, {
      returnDict: true,
      verbose: 0,
    })) as Record<string, number>;
    expect(counted.accuracy).toBeCloseTo(history.history.val_accuracy![2]!, 5);
    tf.dispose([probabilities, rowSums]);
  });

  it('a hand-written loop: valueAndGrads + optimizer.applyGradients, memory flat per step', async () => {
    const model = new Sequential({ layers: hidden() });
    const optimizer = new optimizers.Adam({ learningRate: 1e-2 });
    const loss = new losses.SparseCategoricalCrossentropy({ fromLogits: true });
    const variables = model.trainableWeights;
    const step = (start: number): tf.Scalar =>
      tf.tidy(() => {
        const x = tf.slice(xTrain, start, 64);
        const y = tf.slice(yTrain, start, 64);
        const { value, grads } = valueAndGrads(
          () => loss.call(y, model.apply(x, { training: true }) as tf.Tensor),
          variables,
        );
        optimizer.applyGradients(grads, variables);
        return value;
      });
    step(0).dispose();
    const before = tf.memory().numTensors;
    const losses0: number[] = [];
    for (let epoch = 0; epoch < 8; epoch++) {
      for (let start = 0; start + 64 <= 1438; start += 64) {
        const value = step(start);
        if (start === 0) losses0.push(value.dataSync()[0]!);
        value.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(losses0.at(-1)!).toBeLessThan(losses0[0]! / 4);
    const accuracy = tf.tidy(
      () =>
        tf
          .mean(tf.cast(tf.equal(tf.argMax(model.apply(xTest) as tf.Tensor, -1), yTest), 'float32'))
          .dataSync()[0]!,
    );
    expect(accuracy).toBeGreaterThan(0.9);
    expect(optimizer.iterations).toBe(1 + 8 * Math.floor(1438 / 64));
  });
});

describe('progress output', () => {
  it('verbose 2 prints one line per epoch; verbose 0 prints nothing', async () => {
    const model = new Sequential({ layers: hidden() });
    model.compile({
      optimizer: 'adam',
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    await model.fit(xTrain, yTrain, { epochs: 2, batchSize: 128, verbose: 2 });
    await model.fit(xTrain, yTrain, { epochs: 1, batchSize: 128, verbose: 0 });
    vi.restoreAllMocks();
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('Epoch 2/2');
    expect(lines[3]).toMatch(/^12\/12 - \d+s \d+[mu]?s\/step - loss: [\d.]+ - accuracy: [\d.]+$/);
  });

  it('evaluate prints one line at verbose 1 (fit validation adds none of its own)', async () => {
    const model = new Sequential({ layers: hidden() });
    model.compile({
      optimizer: 'adam',
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const { stream, text } = recorder(false);
    const logger = new callbacks.ProgbarLogger({ stream });
    await model.fit(xTrain, yTrain, {
      epochs: 1,
      batchSize: 128,
      validationData: [xTest, yTest],
      verbose: 2,
      callbacks: [logger],
    });
    const result = await model.evaluate(xTest, yTest, {
      batchSize: 128,
      verbose: 1,
      returnDict: true,
      callbacks: [logger],
    });
    const lines = text().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^12\/12 - \d+s \d+[mu]?s\/step - loss: [\d.]+ - accuracy: [\d.]+ - val_loss: [\d.]+ - val_accuracy: [\d.]+$/,
    );
    expect(lines[2]).toBe(
      `3/3 - ${lines[2]!.split(' - ')[1]} - loss: ${result.loss!.toFixed(4)} - accuracy: ${result.accuracy!.toFixed(4)}`,
    );
  });

  it('verbose 1 on a terminal draws a live bar with step n/N, ETA, time per step and running metrics', async () => {
    const model = new Sequential({ layers: hidden() });
    model.compile({
      optimizer: 'adam',
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const { stream, text } = recorder(true);
    await model.fit(xTrain, yTrain, {
      epochs: 1,
      batchSize: 64,
      verbose: 1,
      callbacks: [new callbacks.ProgbarLogger({ stream })],
    });
    const out = text();
    expect(out).toContain('Epoch 1/1');
    // The final frame: the full bar, the time per step and the epoch's metrics.
    expect(out).toMatch(/23\/23 \[=+\] - \d+[mu]?s\/step - loss: [\d.]+ - accuracy: [\d.]+/);
  });

  it('a live bar reads the running metrics at step 0 of every epoch (the throttle spans epochs)', async () => {
    const model = new Sequential({ layers: hidden() });
    model.compile({
      optimizer: 'adam',
      loss: new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const { stream, text } = recorder(true);
    const firstLogs: string[][] = [];
    /** A ProgbarLogger (so fit treats it as one) that records the logs of each epoch's first batch. */
    class Probe extends callbacks.ProgbarLogger {
      override async onTrainBatchEnd(batch: number, logs: Record<string, number> = {}) {
        if (batch === 0) firstLogs.push(Object.keys(logs));
        await super.onTrainBatchEnd(batch, logs);
      }
    }
    // A frozen clock: every epoch falls inside the 250 ms throttle window of the one before.
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    await model.fit(xTrain, yTrain, {
      epochs: 3,
      batchSize: 256,
      verbose: 1,
      callbacks: [new Probe({ stream })],
    });
    vi.restoreAllMocks();
    expect(firstLogs).toEqual([
      ['loss', 'accuracy'],
      ['loss', 'accuracy'],
      ['loss', 'accuracy'],
    ]);
    // Each epoch's bar ends on a frame with the running metrics.
    expect(text().match(/6\/6 \[=+\] - \S+\/step - loss: [\d.]+ - accuracy: [\d.]+/g)).toHaveLength(
      3,
    );
  });

  it("predict prints one line at verbose 1 (Keras's default) and nothing at verbose 0", async () => {
    const model = new Sequential({ layers: hidden() });
    const { stream, text } = recorder(false);
    const logger = new callbacks.ProgbarLogger({ stream });
    const quietOut = (await model.predict(xTest, { verbose: 0, callbacks: [logger] })) as tf.Tensor;
    expect(text()).toBe('');
    const out = (await model.predict(xTest, {
      batchSize: 128,
      verbose: 1,
      callbacks: [logger],
    })) as tf.Tensor;
    expect(out.shape).toEqual([359, 10]);
    expect(text()).toMatch(/^3\/3 - \d+s \d+[mu]?s\/step\n$/);
    // Without a logger of its own, verbose 'auto' (= 1) adds one on stdout.
    let printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    });
    const auto = (await model.predict(xTest, { batchSize: 100, verbose: 'auto' })) as tf.Tensor;
    const byDefault = (await model.predict(xTest, { batchSize: 180 })) as tf.Tensor;
    vi.restoreAllMocks();
    expect(printed).toMatch(/^4\/4 - \d+s \d+[mu]?s\/step\n2\/2 - \d+s \d+[mu]?s\/step\n$/);
    tf.dispose([quietOut, out, auto, byDefault]);
  });
});
