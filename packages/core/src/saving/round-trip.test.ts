/**
 * Round trips: save -> load gives identical predictions, and training continues identically
 * (same weights after further steps, thanks to the restored optimizer state), for a Sequential,
 * a functional multi-output and a subclassed model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import { Input } from '../engine/input-layer.js';
import { type CallArgs, Layer } from '../engine/layer.js';
import { Model, type ModelArgs } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import * as layers from '../layers/index.js';
import '../training/trainer.js';
import { archiveConfig, maxAbsDiff, tempDir } from './fixture-helpers.test-helper.js';
import { loadModel, saveModel } from './load-model.js';
import { type Config, registerSerializable } from './registry.js';

beforeAll(async () => {
  await ready();
});

function data(n: number, features: number, seed: number): { x: tf.Tensor; y: tf.Tensor } {
  return tf.tidy(() => ({
    x: tf.randomNormal([n, features], 0, 1, 'float32', seed),
    y: tf.cast(
      tf.floor(tf.mul(tf.randomUniform([n], 0, 0.999, 'float32', seed + 1), 3)),
      'float32',
    ),
  }));
}

/** Trains both models on the same batches; returns the max weight difference afterwards. */
async function continueTraining(
  a: Model,
  b: Model,
  x: tf.Tensor | tf.Tensor[],
  y: tf.Tensor | tf.Tensor[],
): Promise<number> {
  for (let step = 0; step < 3; step++) {
    await a.trainOnBatch(x, y);
    await b.trainOnBatch(x, y);
  }
  const wa = a.getWeights();
  const wb = b.getWeights();
  const diff = Math.max(...wa.map((w, i) => maxAbsDiff(w, wb[i] as tf.Tensor)));
  tf.dispose([...wa, ...wb]);
  return diff;
}

function predictionsDiff(a: Model, b: Model, x: tf.Tensor | tf.Tensor[]): number {
  const pa = a.apply(x) as tf.Tensor | tf.Tensor[];
  const pb = b.apply(x) as tf.Tensor | tf.Tensor[];
  const la = Array.isArray(pa) ? pa : [pa];
  const lb = Array.isArray(pb) ? pb : [pb];
  expect(la.length).toBe(lb.length);
  const diff = Math.max(...la.map((t, i) => maxAbsDiff(t, lb[i] as tf.Tensor)));
  tf.dispose([...la, ...lb]);
  return diff;
}

describe('round trips through .keras', () => {
  it('Sequential: identical predictions, optimizer state and continued training', async () => {
    const model = new Sequential([
      new layers.Dense({ units: 8, activation: 'relu', inputShape: [4] }),
      new layers.Dense({ units: 3, activation: 'softmax' }),
    ]);
    model.compile({
      optimizer: 'adam',
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const { x, y } = data(16, 4, 7);
    for (let i = 0; i < 4; i++) await model.trainOnBatch(x, y);
    const path = join(tempDir(), 'seq.keras');
    await model.save(path);

    const entries = unzipSync(readFileSync(path));
    expect(Object.keys(entries).sort()).toEqual([
      'config.json',
      'metadata.json',
      'model.weights.h5',
    ]);
    const config = JSON.parse(new TextDecoder().decode(entries['config.json'])) as Config;
    expect(config.class_name).toBe('Sequential');
    expect((config.compile_config as Config).loss).toBe('sparse_categorical_crossentropy');
    const metadata = JSON.parse(new TextDecoder().decode(entries['metadata.json'])) as Config;
    expect(metadata.keras_version).toMatch(/^3\./);
    expect(metadata.date_saved).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);

    const loaded = await loadModel(path);
    expect(loaded).toBeInstanceOf(Sequential);
    expect(predictionsDiff(model, loaded, x)).toBe(0);
    expect(loaded.optimizer?.iterations).toBe(4);
    expect(loaded.optimizer?.variables().length).toBe(model.optimizer?.variables().length);
    expect(await continueTraining(model, loaded, x, y)).toBe(0);
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });

  it('functional multi-output: identical predictions and continued training', async () => {
    const inputs = Input({ shape: [6], name: 'features' });
    const hidden = new layers.Dense({ units: 5, activation: 'tanh', name: 'trunk' }).apply(inputs);
    const cls = new layers.Dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(hidden);
    const reg = new layers.Dense({ units: 1, name: 'reg' }).apply(hidden);
    const model = new Model({ inputs, outputs: [cls, reg], name: 'two_heads' });
    model.compile({
      optimizer: 'rmsprop',
      loss: ['sparseCategoricalCrossentropy', 'mse'],
      lossWeights: [1, 0.5],
    });
    const { x, y } = data(12, 6, 11);
    const yReg = tf.tidy(() => tf.sum(x, 1, true));
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, [y, yReg]);
    const path = join(tempDir(), 'two_heads.keras');
    await saveModel(model, path);
    const loaded = await loadModel(path);
    expect(loaded.outputNames).toEqual(['cls', 'reg']);
    expect(predictionsDiff(model, loaded, x)).toBe(0);
    expect(loaded.optimizer?.iterations).toBe(3);
    expect(await continueTraining(model, loaded, x, [y, yReg])).toBe(0);
    tf.dispose([x, y, yReg]);
    model.dispose();
    loaded.dispose();
  });

  it('subclassed (registered) model: identical predictions and continued training', async () => {
    interface TwoLayerArgs extends ModelArgs {
      hiddenUnits?: number;
    }
    class TwoLayer extends Model {
      static override readonly className = 'TwoLayer';
      readonly hiddenUnits: number;
      readonly first: layers.Dense;
      readonly second: layers.Dense;
      constructor({ hiddenUnits = 6, ...args }: TwoLayerArgs = {}) {
        super(args);
        this.hiddenUnits = hiddenUnits;
        this.first = new layers.Dense({ units: hiddenUnits, activation: 'relu' });
        this.second = new layers.Dense({ units: 3, activation: 'softmax' });
      }
      override call(x: tf.Tensor | tf.Tensor[], args: CallArgs): tf.Tensor {
        const training = { training: args.training ?? false };
        return this.second.apply(this.first.apply(x as tf.Tensor, training), training) as tf.Tensor;
      }
      override getConfig(): Config {
        return { ...super.getConfig(), hidden_units: this.hiddenUnits };
      }
      static override fromConfig<T>(this: new (args: TwoLayerArgs) => T, config: Config): T {
        return new this({
          name: config.name as string,
          hiddenUnits: config.hidden_units as number,
        });
      }
    }
    registerSerializable('cornu_test')(TwoLayer as never);
    const model = new TwoLayer({ hiddenUnits: 7, name: 'two_layer' });
    // Adam, so that continuing identically needs the restored moment estimates, not just weights.
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const { x, y } = data(10, 4, 21);
    for (let i = 0; i < 2; i++) await model.trainOnBatch(x, y);
    const path = join(tempDir(), 'sub.keras');
    await model.save(path);
    const config = archiveConfig<Config>(path);
    expect(config.registered_name).toBe('cornu_test>TwoLayer');
    expect(config.build_config).toEqual({ input_shape: [10, 4] });
    const loaded = await loadModel(path);
    expect(loaded).toBeInstanceOf(TwoLayer);
    expect((loaded as TwoLayer).hiddenUnits).toBe(7);
    expect(predictionsDiff(model, loaded, x)).toBe(0);
    expect(loaded.optimizer?.constructor.name).toBe('Adam');
    expect(loaded.optimizer?.iterations).toBe(2);
    expect(await continueTraining(model, loaded, x, y)).toBe(0);
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });

  it('customObjects resolve an unregistered layer nested in a functional model, for that load only', async () => {
    class TimesTwo extends Layer {
      static override readonly className = 'TimesTwo';
      override call(x: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(x as tf.Tensor, 2);
      }
    }
    const inputs = Input({ shape: [3] });
    const doubled = new TimesTwo({ name: 'times_two' }).apply(inputs);
    const outputs = new layers.Dense({ units: 2 }).apply(doubled);
    const model = new Model({ inputs, outputs });
    const path = join(tempDir(), 'custom.keras');
    await model.save(path);
    await expect(loadModel(path)).rejects.toThrow(/Unknown class 'TimesTwo'/);
    const loaded = await loadModel(path, { customObjects: { TimesTwo: TimesTwo as never } });
    expect(loaded.getLayer('times_two')).toBeInstanceOf(TimesTwo);
    const x = tf.ones([2, 3]);
    expect(predictionsDiff(model, loaded, x)).toBe(0);
    x.dispose();
    model.dispose();
    loaded.dispose();
  });
});
