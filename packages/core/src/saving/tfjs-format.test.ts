/**
 * TF.js layers models: the published tfjs fixtures load (the Embedding + GRU one reproduces the
 * output in tfjs's own e2e test), and `saveModel(..., { format: 'tfjs' })` writes files that
 * `@tensorflow/tfjs-layers` loads with the same predictions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import { Input } from '../engine/input-layer.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import * as layers from '../layers/index.js';
import { fixture, maxAbsDiff, tempDir } from './fixture-helpers.test-helper.js';
import { loadModel, saveModel } from './load-model.js';

beforeAll(async () => {
  await ready();
});

/** Loads a folder written by saveModel through tfjs-layers' own loader (from memory: no file:// handler without tfjs-node). */
async function loadWithTfjsLayers(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weights = readFileSync(join(dir, 'weights.bin'));
  const weightData = weights.buffer.slice(
    weights.byteOffset,
    weights.byteOffset + weights.byteLength,
  );
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData,
    }),
  );
}

describe('TF.js layers models', () => {
  it('e2e_embedding_gru (Embedding -> GRU go_backwards, hard_sigmoid) reproduces expected.json', async () => {
    const model = await loadModel(fixture('tfjs', 'e2e_embedding_gru', 'model.json'));
    const expected = JSON.parse(
      readFileSync(fixture('tfjs', 'e2e_embedding_gru', 'expected.json'), 'utf8'),
    );
    const x = tf.tensor(expected.input.values, expected.input.shape);
    const y = model.apply(x) as tf.Tensor;
    const want = tf.tensor(expected.expected_output.values, expected.expected_output.shape);
    expect(maxAbsDiff(y, want)).toBeLessThan(1e-5);
    tf.dispose([x, y, want]);
    model.dispose();
  });

  it('abalone_mlp and the bare-list rn_bundle_dense load and predict the right shapes', async () => {
    const abalone = await loadModel(fixture('tfjs', 'abalone_mlp', 'model.json'));
    const bundle = await loadModel(fixture('tfjs', 'rn_bundle_dense', 'bundle_model_test.json'));
    const a = abalone.apply(tf.ones([3, 8])) as tf.Tensor;
    const b = bundle.apply(tf.ones([2, 10])) as tf.Tensor;
    expect(a.shape).toEqual([3, 1]);
    expect(b.shape).toEqual([2, 1]);
    // Dense(1) on ones = sum of the kernel + bias, read straight from the 44-byte weights file.
    const raw = readFileSync(fixture('tfjs', 'rn_bundle_dense', 'bundle_model_test_weights.bin'));
    const floats = new Float32Array(
      raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength),
    );
    const expectedValue = floats.reduce((s, v) => s + v, 0);
    expect(b.dataSync()[0]).toBeCloseTo(expectedValue, 5);
    tf.dispose([a, b]);
    abalone.dispose();
    bundle.dispose();
  });

  it('saveModel(format tfjs) writes a Sequential that tfjs-layers loads with equal predictions', async () => {
    const model = new Sequential([
      new layers.Dense({ units: 6, activation: 'relu', inputShape: [5] }),
      new layers.Dense({ units: 2, activation: 'softmax' }),
    ]);
    const dir = tempDir();
    await saveModel(model, dir, { format: 'tfjs' });
    const theirs = await loadWithTfjsLayers(dir);
    const mine = await loadModel(join(dir, 'model.json'));
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 5);
    const ours = model.apply(x) as tf.Tensor;
    const viaTfjs = theirs.predict(x) as tf.Tensor;
    const reloaded = mine.apply(x) as tf.Tensor;
    expect(maxAbsDiff(ours, viaTfjs)).toBeLessThan(1e-6);
    expect(maxAbsDiff(ours, reloaded)).toBe(0);
    tf.dispose([x, ours, viaTfjs, reloaded]);
    theirs.dispose();
    model.dispose();
    mine.dispose();
  });

  it('saveModel(format tfjs) writes a functional model with an LSTM that tfjs-layers loads', async () => {
    const inputs = Input({ shape: [5, 3] });
    const seq = new layers.LSTM({ units: 4 }).apply(inputs);
    const outputs = new layers.Dense({ units: 2 }).apply(seq);
    const model = new Model({ inputs, outputs });
    const dir = tempDir();
    await saveModel(model, dir, { format: 'tfjs' });
    const theirs = await loadWithTfjsLayers(dir);
    const x = tf.randomNormal([2, 5, 3], 0, 1, 'float32', 9);
    const ours = model.apply(x) as tf.Tensor;
    const viaTfjs = theirs.predict(x) as tf.Tensor;
    expect(maxAbsDiff(ours, viaTfjs)).toBeLessThan(1e-5);
    tf.dispose([x, ours, viaTfjs]);
    theirs.dispose();
    model.dispose();
  });
});
