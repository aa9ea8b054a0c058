import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { layers, Sequential } from '../index.js';
import { BackupAndRestore } from './backup-and-restore.js';
import { CallbackList, type Logs } from './callback.js';
import { CSVLogger } from './csv-logger.js';
import { EarlyStopping } from './early-stopping.js';
import { fakeModel } from './fake-model.test-helper.js';
import { formatPath } from './format-path.js';
import { History } from './history.js';
import { LambdaCallback } from './lambda-callback.js';
import { LearningRateScheduler } from './learning-rate-scheduler.js';
import { ModelCheckpoint } from './model-checkpoint.js';
import { formatProgress, ProgbarLogger } from './progbar-logger.js';
import { ReduceLROnPlateau } from './reduce-lr-on-plateau.js';
import { TerminateOnNaN } from './terminate-on-nan.js';

beforeAll(async () => {
  await ready();
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cornu-callbacks-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Drives callbacks like fit: epochs of `steps` batches, stopping on model.stopTraining. */
async function run(
  list: CallbackList,
  epochLogs: Logs[],
  steps = 2,
  startEpoch = 0,
): Promise<number[]> {
  const ran: number[] = [];
  await list.onTrainBegin();
  const model = list.model!;
  for (let epoch = model.initialEpoch ?? startEpoch; epoch < epochLogs.length; epoch++) {
    await list.onEpochBegin(epoch);
    for (let b = 0; b < steps; b++) {
      await list.onTrainBatchBegin(b);
      await list.onTrainBatchEnd(b, { loss: epochLogs[epoch]!.loss ?? 0 });
    }
    await list.onEpochEnd(epoch, { ...epochLogs[epoch]! });
    ran.push(epoch);
    if (model.stopTraining) break;
  }
  await list.onTrainEnd();
  return ran;
}

const losses = (values: number[]): Logs[] => values.map((v) => ({ loss: v, val_loss: v }));

describe('History and CallbackList', () => {
  it('records every epoch log, in order, and runs callbacks in order', async () => {
    const model = fakeModel();
    const calls: string[] = [];
    const history = new History();
    const list = new CallbackList(
      [
        history,
        new LambdaCallback({ onEpochEnd: (e) => void calls.push(`a${e}`) }),
        new LambdaCallback({ onEpochEnd: (e) => void calls.push(`b${e}`) }),
      ],
      { model, params: { epochs: 2, steps: 2, verbose: 0 } },
    );
    await run(list, [
      { loss: 1, accuracy: 0.5 },
      { loss: 0.5, accuracy: 0.75 },
    ]);
    expect(history.epoch).toEqual([0, 1]);
    expect(history.history).toEqual({ loss: [1, 0.5], accuracy: [0.5, 0.75] });
    expect(calls).toEqual(['a0', 'b0', 'a1', 'b1']);
    model.dispose();
  });
});

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without improvement (Keras semantics: wait counts from the best)', async () => {
    const model = fakeModel();
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2 });
    const ran = await run(new CallbackList([es], { model }), losses([1, 0.8, 0.9, 0.85, 0.7, 0.6]));
    expect(ran).toEqual([0, 1, 2, 3]);
    expect(es.stoppedEpoch).toBe(3);
    expect(es.best).toBe(0.8);
    model.dispose();
  });

  it('minDelta, mode max from the name, baseline and startFromEpoch', async () => {
    const model = fakeModel();
    const acc = new EarlyStopping({ monitor: 'val_accuracy', patience: 1, minDelta: 0.05 });
    expect(acc.mode).toBe('max');
    const ran = await run(
      new CallbackList([acc], { model }),
      [0.5, 0.6, 0.62, 0.64, 0.9].map((v) => ({ val_accuracy: v })),
    );
    expect(ran).toEqual([0, 1, 2]);
    model.stopTraining = false;
    // Never beating the baseline, the wait is not reset by the first epoch's improvement.
    const base = new EarlyStopping({ monitor: 'loss', patience: 2, baseline: 0.5 });
    expect(await run(new CallbackList([base], { model }), losses([0.9, 0.95, 0.97, 0.99]))).toEqual(
      [0, 1],
    );
    model.stopTraining = false;
    const noBase = new EarlyStopping({ monitor: 'loss', patience: 2 });
    expect(
      await run(new CallbackList([noBase], { model }), losses([0.9, 0.95, 0.97, 0.99])),
    ).toEqual([0, 1, 2]);
    model.stopTraining = false;
    const warm = new EarlyStopping({ monitor: 'loss', patience: 0, startFromEpoch: 3 });
    expect(await run(new CallbackList([warm], { model }), losses([1, 2, 3, 4, 5, 6]))).toEqual([
      0, 1, 2, 3, 4,
    ]);
    model.dispose();
  });

  it('restoreBestWeights puts back the best epoch weights and leaks no tensors', async () => {
    const model = fakeModel();
    const before = tf.memory().numTensors;
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 1, restoreBestWeights: true });
    const list = new CallbackList(
      [
        new LambdaCallback({
          onEpochEnd: (epoch) => {
            tf.tidy(() => model.kernel.assign(tf.fill([2, 2], epoch)));
          },
        }),
        es,
      ],
      { model },
    );
    await run(list, losses([3, 1, 2, 4]));
    expect(model.kernel.arraySync()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('learning-rate callbacks', () => {
  it('LearningRateScheduler sets schedule(epoch, lr) each epoch and logs learning_rate', async () => {
    const model = fakeModel(0.1);
    const history = new History();
    await run(
      new CallbackList(
        [new LearningRateScheduler((epoch, lr) => (epoch < 1 ? lr : lr / 2)), history],
        { model },
      ),
      losses([1, 1, 1]),
    );
    expect(history.history.learning_rate).toEqual([0.1, 0.05, 0.025]);
    model.dispose();
  });

  it('ReduceLROnPlateau multiplies by factor after patience, honours cooldown and minLr', async () => {
    const model = fakeModel(1);
    const lrs: number[] = [];
    const cb = new ReduceLROnPlateau({
      monitor: 'loss',
      factor: 0.5,
      patience: 1,
      cooldown: 2,
      minLr: 0.2,
    });
    const spy = new LambdaCallback({
      onEpochEnd: () => void lrs.push(model.optimizer!.learningRate as number),
    });
    await run(new CallbackList([cb, spy], { model }), losses([1, 1, 1, 1, 1, 1, 1]));
    // Keras order: e1 reduce to 0.5 (cooldown 2); e2 cooling; e3 cooldown over -> reduce to 0.25; e4 cooling; e5 0.2 (minLr).
    expect(lrs).toEqual([1, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2]);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(
      /factor must be < 1.*Received: factor=1/,
    );
    model.dispose();
  });
});

describe('CSVLogger and TerminateOnNaN', () => {
  it('writes epoch + sorted keys, appends without a second header', async () => {
    const model = fakeModel();
    const file = join(dir, 'log.csv');
    await run(new CallbackList([new CSVLogger(file)], { model }), [
      { loss: 0.5, accuracy: 0.25 },
      { loss: 0.25, accuracy: 0.5 },
    ]);
    await run(
      new CallbackList([new CSVLogger(file, { append: true, separator: ',' })], { model }),
      [{ loss: 0.125, accuracy: 0.75 }],
    );
    expect(readFileSync(file, 'utf8')).toBe(
      'epoch,accuracy,loss\n0,0.25,0.5\n1,0.5,0.25\n0,0.75,0.125\n',
    );
    const semi = join(dir, 'semi.csv');
    await run(new CallbackList([new CSVLogger(semi, { separator: ';' })], { model }), [
      { loss: 1 },
    ]);
    expect(readFileSync(semi, 'utf8')).toBe('epoch;loss\n0;1\n');
    model.dispose();
  });

  it('TerminateOnNaN stops on a NaN batch loss', async () => {
    const model = fakeModel();
    const ran = await run(new CallbackList([new TerminateOnNaN()], { model }), [
      { loss: 1 },
      { loss: Number.NaN },
      { loss: 1 },
    ]);
    expect(ran).toEqual([0, 1]);
    model.dispose();
  });
});

describe('LambdaCallback', () => {
  it('runs test and predict batch hooks, with the batch logs of evaluate', async () => {
    const model = new Sequential({ layers: [new layers.Dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const y = tf.zeros([3, 1]);
    const seen: string[] = [];
    const hooks = new LambdaCallback({
      onTestBatchBegin: (batch) => void seen.push(`test begin ${batch}`),
      onTestBatchEnd: (batch, logs) =>
        void seen.push(`test end ${batch} ${Object.keys(logs ?? {}).join(',')}`),
      onPredictBatchBegin: (batch) => void seen.push(`predict begin ${batch}`),
      onPredictBatchEnd: (batch) => void seen.push(`predict end ${batch}`),
    });
    await model.evaluate(x, y, { batchSize: 2, verbose: 0, callbacks: [hooks] });
    const out = (await model.predict(x, { batchSize: 2, callbacks: [hooks] })) as tf.Tensor;
    expect(seen).toEqual([
      'test begin 0',
      'test end 0 loss',
      'test begin 1',
      'test end 1 loss',
      'predict begin 0',
      'predict end 0',
      'predict begin 1',
      'predict end 1',
    ]);
    tf.dispose([x, y, out]);
    model.dispose();
  });
});

describe('ModelCheckpoint', () => {
  it('fills Python-style templates', () => {
    expect(
      formatPath('ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5', { epoch: 3, val_loss: 0.12345 }),
    ).toBe('ckpt-03-0.12.weights.h5');
    expect(formatPath('{a:8.3f}|{b:.1e}|{c}', { a: -1.5, b: 12345, c: 7 })).toBe(
      '  -1.500|1.2e+04|7',
    );
    expect(() => formatPath('{nope}.keras', { epoch: 1 })).toThrow(
      /names '\{nope\}', which is not in the logs\. Available: epoch/,
    );
  });

  it('saves every epoch, or only on improvement, with saveWeights or save; or every n batches', async () => {
    const model = fakeModel();
    const all = new ModelCheckpoint(join(dir, 'w-{epoch:02d}-{val_loss:.2f}.weights.h5'), {
      saveWeightsOnly: true,
    });
    await run(new CallbackList([all], { model }), losses([0.5, 0.25]));
    expect(model.saves).toEqual([
      join(dir, 'w-01-0.50.weights.h5'),
      join(dir, 'w-02-0.25.weights.h5'),
    ]);
    model.saves.length = 0;
    const best = new ModelCheckpoint(join(dir, 'best-{epoch}.keras'), { saveBestOnly: true });
    await run(new CallbackList([best], { model }), losses([0.5, 0.7, 0.4, 0.45]));
    expect(model.saves).toEqual([join(dir, 'best-1.keras'), join(dir, 'best-3.keras')]);
    model.saves.length = 0;
    const batches = new ModelCheckpoint(join(dir, 'b-{epoch}-{batch}.keras'), { saveFreq: 3 });
    await run(new CallbackList([batches], { model }), losses([1, 1, 1]), 2);
    expect(model.saves).toEqual([join(dir, 'b-2-1.keras'), join(dir, 'b-3-2.keras')]);
    expect(() => new ModelCheckpoint('x.h5', { saveWeightsOnly: true })).toThrow(
      /must end in '\.weights\.h5'\. Received: filepath='x\.h5'/,
    );
    model.dispose();
  });
});

describe('BackupAndRestore', () => {
  it('resumes an interrupted run at the next epoch with weights and optimizer state', async () => {
    const backupDir = join(dir, 'backup');
    const model = fakeModel();
    const interrupt = new LambdaCallback({
      onEpochEnd: (epoch) => {
        tf.tidy(() => {
          model.kernel.assign(tf.fill([2, 2], epoch + 10));
          model.slot.assign(tf.fill([2, 2], epoch + 0.5));
        });
        if (epoch === 1) throw new Error('power cut');
      },
    });
    const backup = new BackupAndRestore(backupDir);
    // The backup runs after the weight change of the same epoch (order in the list).
    await expect(
      run(new CallbackList([interrupt, backup], { model }), losses([1, 1, 1, 1])),
    ).rejects.toThrow('power cut');
    expect(existsSync(join(backupDir, 'latest.ckpt'))).toBe(true);
    expect(readFileSync(join(backupDir, 'latest.ckpt')).subarray(0, 14).toString()).toBe(
      'CORNU-BACKUP-1',
    );

    const fresh = fakeModel();
    const before = tf.memory().numTensors;
    const ran = await run(
      new CallbackList([new BackupAndRestore(backupDir)], { model: fresh }),
      losses([1, 1, 1, 1]),
    );
    expect(ran).toEqual([1, 2, 3]);
    expect(fresh.kernel.arraySync()).toEqual([
      [10, 10],
      [10, 10],
    ]);
    expect((fresh.slot.arraySync() as number[][])[0]).toEqual([0.5, 0.5]);
    expect(existsSync(backupDir)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    fresh.dispose();
  });
});

describe('ProgbarLogger', () => {
  it('formats a Keras-like bar', () => {
    expect(formatProgress(12, 50, 3.2, { loss: 0.12344, accuracy: 0.95 }, 10)).toBe(
      '12/50 [=>........] - ETA: 3s - loss: 0.1234 - accuracy: 0.9500',
    );
    expect(formatProgress(50, 50, 0, { loss: 0.1 }, 10)).toBe('50/50 [==========] - loss: 0.1000');
  });

  it('prints plain lines when the stream is not a terminal', async () => {
    const model = fakeModel();
    let out = '';
    const stream = {
      write: (s: string) => {
        out += s;
        return true;
      },
      isTTY: false,
    } as unknown as NodeJS.WritableStream;
    await run(
      new CallbackList([new ProgbarLogger({ stream })], {
        model,
        params: { epochs: 2, steps: 2, verbose: 1 },
      }),
      [{ loss: 0.5 }, { loss: 0.25 }],
    );
    expect(out).toMatch(
      /^Epoch 1\/2\n2\/2 - \d+s \d+[mu]?s\/step - loss: 0\.5000\nEpoch 2\/2\n2\/2 - \d+s \d+[mu]?s\/step - loss: 0\.2500\n$/,
    );
    model.dispose();
  });
});
