import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, datasets, Input, layers, Model, tf } from '@cornu/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Float, HyperParameters, Int } from '../engine/hyperparameters.js';
import { RandomSearch } from '../tuners/random-search.js';
import { HyperImageAugment } from './hyper-image-augment.js';
import type { RandomChoice } from './random-choice.js';

const dirs: string[] = [];
beforeAll(async () => {
  await backend.ready();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ranges = (hp: HyperParameters) =>
  Object.fromEntries(
    hp.space.map((p) => [
      p.name,
      p instanceof Float || p instanceof Int ? [p.minValue, p.maxValue, p.step ?? null] : null,
    ]),
  );
const classesOf = (model: Model) => model.layers.map((l) => l.constructor.name);

describe('HyperImageAugment', () => {
  it("registers KerasTuner's RandAugment-style space; the defaults build an identity model", async () => {
    const hp = new HyperParameters();
    const model = await new HyperImageAugment({ inputShape: [8, 8, 1] }).build(hp);
    expect(model.name).toBe('image_rand_augment');
    expect(ranges(hp)).toEqual({
      augment_layers: [0, 3, 1],
      factor_rotate: [0, 0.5, null],
      factor_translate_x: [0, 0.4, null],
      factor_translate_y: [0, 0.4, null],
      factor_contrast: [0, 0.3, null],
    });
    // augment_layers defaults to its lower end (0): no augmentation layers at all
    expect(classesOf(model)).toEqual(['InputLayer']);
    model.dispose();
  });

  it('builds augment_layers rounds of one random transform per sample, active in training only', async () => {
    const hp = new HyperParameters();
    hp.values = {
      augment_layers: 2,
      factor_rotate: 0.25,
      factor_translate_x: 0.3,
      factor_contrast: 0,
    };
    const hm = new HyperImageAugment({ inputShape: [16, 16, 1], translateY: null, seed: 5 });
    const model = await hm.build(hp);
    expect(classesOf(model)).toEqual(['InputLayer', 'RandomChoice', 'RandomChoice']);
    const rounds = model.layers.slice(1) as RandomChoice[];
    // contrast's factor 0 drops it; the others carry this trial's factors
    for (const round of rounds) {
      expect(round.choices.map((l) => l.constructor.name)).toEqual([
        'RandomRotation',
        'RandomTranslation',
      ]);
      expect((round.choices[0] as unknown as { factor: number }).factor).toBe(0.25);
      expect((round.choices[1] as unknown as { widthFactor: number }).widthFactor).toBe(0.3);
    }
    // A bright square in a dark image: each round rotates or shifts every sample.
    const x = tf.tidy(() =>
      tf.pad(tf.ones([32, 6, 6, 1]), [
        [0, 0],
        [5, 5],
        [5, 5],
        [0, 0],
      ]),
    );
    const before = tf.memory().numTensors;
    const trained = (await model.apply(x, { training: true })) as tf.Tensor;
    const moved = tf.tidy(() => tf.sum(tf.abs(tf.sub(trained, x)), [1, 2, 3]).dataSync());
    // almost every sample changes (a rotation or shift can come out near zero: allow a few)
    expect(Array.from(moved).filter((d) => d > 1).length).toBeGreaterThanOrEqual(28);
    const inference = model.apply(x) as tf.Tensor;
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(inference, x))).dataSync()[0])).toBe(0);
    tf.dispose([trained, inference]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    model.dispose();
  });

  it('with augmentLayers 0 applies every transform with a factor on a 0.05 grid, skipping zeros', async () => {
    const hp = new HyperParameters();
    hp.values = {
      factor_rotate: 0.2,
      factor_translate_x: 0,
      factor_translate_y: 0.1,
      factor_contrast: 0.3,
    };
    const model = await new HyperImageAugment({
      inputShape: [8, 8, 3],
      rotate: [0.1, 0.3],
      augmentLayers: 0,
    }).build(hp);
    expect(model.name).toBe('image_augment');
    expect(ranges(hp)).toEqual({
      factor_rotate: [0.1, 0.3, 0.05],
      factor_translate_x: [0, 0.4, 0.05],
      factor_translate_y: [0, 0.4, 0.05],
      factor_contrast: [0, 0.3, 0.05],
    });
    expect(classesOf(model)).toEqual([
      'InputLayer',
      'RandomRotation',
      'RandomTranslation',
      'RandomContrast',
    ]);
    model.dispose();
  });

  it('names the bad argument', () => {
    expect(() => new HyperImageAugment({ inputShape: [8, 8] })).toThrow(
      /inputShape must be \[height, width, channels\]\. Received: \[8,8\]/,
    );
    expect(() => new HyperImageAugment({ inputShape: [8, 8, 1], rotate: 1.5 })).toThrow(
      /rotate must be a number in \[0, 1\].*Received: 1\.5/,
    );
    expect(() => new HyperImageAugment({ inputShape: [8, 8, 1], augmentLayers: [3, 1] })).toThrow(
      /augmentLayers must be .* Received: \[3,1\]/,
    );
  });

  it('tunes inside a model search: the factors are part of each trial', async () => {
    const [[xa, ya]] = await datasets.digits.loadData();
    const x = tf.tidy(() =>
      tf.div(tf.reshape(tf.slice(xa, [0, 0, 0], [96, 8, 8]), [96, 8, 8, 1]), 16),
    );
    const y = tf.tidy(() => tf.cast(tf.slice(ya, [0], [96]), 'float32'));
    tf.dispose([xa, ya]);
    const augment = new HyperImageAugment({
      inputShape: [8, 8, 1],
      augmentLayers: [1, 2],
      seed: 1,
    });
    const directory = mkdtempSync(join(tmpdir(), 'cornu-hia-'));
    dirs.push(directory);
    const tuner = new RandomSearch({
      hypermodel: async (hp) => {
        const inputs = Input({ shape: [8, 8, 1] });
        const augmented = (await augment.build(hp)).apply(inputs);
        const features = new layers.Flatten().apply(
          new layers.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu' }).apply(augmented),
        );
        const outputs = new layers.Dense({ units: 10, activation: 'softmax' }).apply(features);
        const model = new Model({ inputs, outputs });
        model.compile({
          optimizer: 'adam',
          loss: 'sparse_categorical_crossentropy',
          metrics: ['accuracy'],
        });
        return model;
      },
      objective: 'val_accuracy',
      maxTrials: 2,
      seed: 3,
      directory,
      projectName: 'augment',
      verbose: false,
    });
    const before = tf.memory().numTensors;
    await tuner.search(x, y, { epochs: 1, batchSize: 32, validationData: [x, y], verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const trials = tuner.oracle.getBestTrials(2);
    expect(trials.length).toBe(2);
    for (const trial of trials) {
      expect(Object.keys(trial.hyperparameters.values).sort()).toEqual([
        'augment_layers',
        'factor_contrast',
        'factor_rotate',
        'factor_translate_x',
        'factor_translate_y',
      ]);
      expect(trial.score).not.toBeNull();
    }
    tf.dispose([x, y]);
  });
});
