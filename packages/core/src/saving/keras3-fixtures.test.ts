/**
 * Real Keras 3 files (written by Keras 3.16.0's own model.save, see test-fixtures/saving/SOURCES.md)
 * load and reproduce the predictions Keras stored beside them.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import type { Model } from '../engine/model.js';
import '../layers/index.js';
import { fixture, maxAbsDiff, readReference, toTensor } from './fixture-helpers.test-helper.js';
import { loadModel } from './load-model.js';

beforeAll(async () => {
  await ready();
});

async function checkFixture(stem: string, tolerance = 1e-5, referenceStem = stem): Promise<Model> {
  const ref = readReference(referenceStem);
  const model = await loadModel(fixture('keras3', `${stem}.keras`));
  const before = tf.memory().numTensors;
  const inputs = ref.inputs.map(toTensor);
  const out = model.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : inputs) as
    | tf.Tensor
    | tf.Tensor[];
  const outs = Array.isArray(out) ? out : [out];
  expect(outs.length).toBe(ref.outputs.length);
  ref.outputs.forEach((r, i) => {
    const expected = toTensor(r);
    expect(maxAbsDiff(outs[i] as tf.Tensor, expected)).toBeLessThan(tolerance);
    expected.dispose();
  });
  tf.dispose([...inputs, ...outs]);
  expect(tf.memory().numTensors).toBe(before);
  return model;
}

describe('Keras 3 generated fixtures', () => {
  it('sequential_mlp.keras (Sequential, Dense + Dropout) reproduces Keras', async () => {
    const model = await checkFixture('sequential_mlp');
    expect(model.name).toBe('seq_mlp');
    expect(model.layers.map((l) => l.name)).toEqual(['hidden', 'dropout', 'probs']);
    model.dispose();
  });

  it('functional_cnn.keras (Conv2D, BatchNormalization, pooling) reproduces Keras', async () => {
    (await checkFixture('functional_cnn')).dispose();
  });

  it('functional_cnn.weights.h5 loads into a freshly built copy of the architecture', async () => {
    const built = await loadModel(fixture('keras3', 'functional_cnn.keras'));
    const fresh = await loadModel(fixture('keras3', 'functional_cnn.keras'));
    // Scramble the fresh copy's weights, then restore them from the separate weights file.
    fresh.setWeights(fresh.getWeights().map((w) => tf.tidy(() => tf.add(w, 1))));
    const report = await fresh.loadWeights(fixture('keras3', 'functional_cnn.weights.h5'));
    expect(report.loaded).toContain('layers/batch_normalization');
    const ref = readReference('functional_cnn');
    const x = toTensor(ref.inputs[0] as never);
    const a = fresh.apply(x) as tf.Tensor;
    const b = built.apply(x) as tf.Tensor;
    expect(maxAbsDiff(a, b)).toBe(0);
    tf.dispose([x, a, b]);
    built.dispose();
    fresh.dispose();
  });

  it('rnn_masked.keras (NotEqual mask op, Embedding, LSTM, GRU reset_after) reproduces Keras 3.15 (mask reaches the GRU)', async () => {
    // Keras 3.16 wrote `mask: null` into the GRU's node; FunctionalGraph.fromConfig drops null
    // kwargs, so the LSTM's mask reaches the GRU as in Keras 3.0-3.15 (reference written by 3.15.0).
    (await checkFixture('rnn_masked', 1e-5, 'rnn_masked.keras-3.15.0')).dispose();
  });

  it('two_in_two_out.keras (shared layer, two inputs, two outputs) reproduces Keras', async () => {
    (await checkFixture('two_in_two_out')).dispose();
  });

  it('transformer_block.keras (MultiHeadAttention, Add, LayerNormalization) reproduces Keras', async () => {
    (await checkFixture('transformer_block')).dispose();
  });

  it('compiled_adam_mlp.keras restores compile_config and the Adam state (iterations 5, 10 variables)', async () => {
    const model = await checkFixture('compiled_adam_mlp');
    expect(model.compiled).toBe(true);
    const optimizer = model.optimizer;
    expect(optimizer?.constructor.name).toBe('Adam');
    expect(optimizer?.learningRate).toBeCloseTo(0.01, 6);
    expect(optimizer?.iterations).toBe(5);
    const ref = readReference('compiled_adam_mlp');
    const stored = (
      ref.training as { optimizer_variables: { index: number; data: unknown; shape: number[] }[] }
    ).optimizer_variables;
    const vars = optimizer?.variables() ?? [];
    expect(vars.length).toBe(10);
    expect(stored.length).toBe(10);
    for (const s of stored) {
      const expected = tf.tensor([s.data].flat(10) as number[], s.shape);
      expect(maxAbsDiff(vars[s.index] as tf.Tensor, expected)).toBeLessThan(1e-6);
      expected.dispose();
    }
    model.dispose();
  });

  it('compiled_adam_mlp.keras evaluates and continues training exactly as Keras 3 does', async () => {
    // Reference: scripts/interop/keras_continue_training.py (Keras 3.15.1, jax) loaded the same
    // archive, evaluated it, then ran train_on_batch on the first two batches of 8.
    const continued = JSON.parse(
      readFileSync(fixture('keras3', 'compiled_adam_mlp.continued.json'), 'utf8'),
    ) as {
      evaluate_on_x_train: { loss: number; accuracy: number };
      losses: number[];
      optimizer_iterations: number;
      weights: { path: string; shape: number[]; values: number[] }[];
    };
    const training = readReference('compiled_adam_mlp').training as {
      x_train: number[][];
      y_train: number[];
    };
    const model = await loadModel(fixture('keras3', 'compiled_adam_mlp.keras'));
    const x = tf.tensor2d(training.x_train);
    const y = tf.tensor1d(training.y_train, 'float32');
    const scores = await model.evaluate(x, y, { batchSize: 40, verbose: 0, returnDict: true });
    expect(scores.loss).toBeCloseTo(continued.evaluate_on_x_train.loss, 5);
    expect(scores.accuracy).toBeCloseTo(continued.evaluate_on_x_train.accuracy, 6);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 2; step++) {
      const [xb, yb] = [x.slice(step * 8, 8), y.slice(step * 8, 8)];
      const logs = await model.trainOnBatch(xb, yb);
      expect(logs.loss).toBeCloseTo(continued.losses[step] as number, 5);
      tf.dispose([xb, yb]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(model.optimizer?.iterations).toBe(continued.optimizer_iterations);
    const weights = model.getWeights();
    expect(weights.length).toBe(continued.weights.length);
    continued.weights.forEach((w, i) => {
      const expected = tf.tensor(w.values, w.shape);
      expect(maxAbsDiff(weights[i] as tf.Tensor, expected)).toBeLessThan(1e-6);
      expected.dispose();
    });
    tf.dispose([...weights, x, y]);
    model.dispose();
  });
});
