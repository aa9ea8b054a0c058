/**
 * Keras 2 full-model `.h5` files (Keras 2.0.8 - 2.3.1, from deeplearning4j's model-import tests)
 * load; those with stored predictions reproduce them to 1e-5, the others predict with the
 * right output shapes.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import { Sequential } from '../engine/sequential.js';
import * as layers from '../layers/index.js';
import { fixture, maxAbsDiff } from './fixture-helpers.test-helper.js';
import { readH5 } from './h5.js';
import { keras2HardSigmoid } from './keras2-config.js';
import { loadModel } from './load-model.js';

beforeAll(async () => {
  await ready();
});

async function readIo(
  name: string,
  input: string,
  prediction: string,
): Promise<[tf.Tensor, tf.Tensor]> {
  const path = fixture('keras2', name);
  return readH5(readFileSync(path), path, (r) => [
    r.tensor(`inputs/${input}`),
    r.tensor(`predictions/${prediction}`),
  ]);
}

describe('Keras 2 .h5 models with stored predictions', () => {
  const cases: [string, string, string, string][] = [
    [
      'simple_flatten_lstm_tf_keras_2_model.h5',
      'simple_flatten_lstm_tf_keras_2_inputs_and_outputs.h5',
      'lstm_1_input',
      'dense_1',
    ],
    [
      'simple_rnn_tf_keras_2_model.h5',
      'simple_rnn_tf_keras_2_inputs_and_outputs.h5',
      'simple_rnn_1_input',
      'dense_1',
    ],
    [
      'simple_sparse_xent_mlp_keras_2_model.h5',
      'simple_sparse_xent_mlp_keras_2_inputs_and_outputs.h5',
      'dense_1_input',
      'activation_1',
    ],
  ];
  for (const [modelFile, ioFile, input, prediction] of cases) {
    it(`${modelFile} reproduces predictions/${prediction} to 1e-5`, async () => {
      const model = await loadModel(fixture('keras2', modelFile));
      const [x, expected] = await readIo(ioFile, input, prediction);
      const before = tf.memory().numTensors;
      const y = model.apply(x) as tf.Tensor;
      expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
      y.dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, expected]);
      model.dispose();
    });
  }
});

describe('Keras 2 .h5 models without stored predictions', () => {
  const cases: [string, number[], number[][]][] = [
    ['dl4j_examples_simple_mlp.h5', [2, 100], [[2, 10]]],
    ['dl4j_examples_simple_functional_mlp.h5', [2, 100], [[2, 10]]],
    ['lstm_functional_tf_keras_2.h5', [2, 10, 4], [[2, 5]]],
    ['cnn_batch_norm.h5', [2, 10, 10, 3], [[2, 1]]],
    [
      '12net.h5',
      [1, 12, 12, 3],
      [
        [1, 1, 1, 2],
        [1, 1, 1, 4],
      ],
    ],
  ];
  for (const [file, inputShape, outputShapes] of cases) {
    it(`${file} loads and predicts shapes ${JSON.stringify(outputShapes)}`, async () => {
      const model = await loadModel(fixture('keras2', file));
      const x = tf.randomNormal(inputShape, 0, 1, 'float32', 3);
      const out = model.apply(x) as tf.Tensor | tf.Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      expect(outs.map((t) => t.shape)).toEqual(outputShapes);
      for (const t of outs) expect(tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0])).toBe(1);
      if (file === 'dl4j_examples_simple_mlp.h5' || file === '12net.h5') {
        // softmax heads: rows sum to 1
        const sums = tf.tidy(() => tf.sum(outs[0] as tf.Tensor, -1).dataSync());
        for (const s of sums) expect(s).toBeCloseTo(1, 5);
      }
      tf.dispose([x, ...outs]);
      model.dispose();
    });
  }

  it('weights-only loading of a Keras 2 file by name skips what is missing and reports it', async () => {
    const model = new Sequential([
      new layers.Dense({ units: 64, activation: 'relu', inputShape: [100], name: 'dense_3' }),
      new layers.Dense({ units: 7, name: 'new_head' }),
    ]);
    const report = await model.loadWeights(fixture('keras2', 'dl4j_examples_simple_mlp.h5'), {
      byName: true,
    });
    expect(report.loaded).toEqual(['dense_3']);
    expect(report.skipped.map((s) => s.path)).toEqual(['new_head']);
    model.dispose();
  });

  it('Keras 2 hard_sigmoid is clip(0.2x + 0.5, 0, 1)', () => {
    const y = keras2HardSigmoid(tf.tensor([-3, -1, 0, 1, 3]));
    expect(Array.from(y.dataSync())).toEqual([0, 0.30000001192092896, 0.5, 0.699999988079071, 1]);
    y.dispose();
  });
});

describe('Keras 2 GRU, both variants (generated in the Keras 2 layout by test-fixtures/saving/keras2/make_gru_keras2.py)', () => {
  const reference = JSON.parse(
    readFileSync(fixture('keras2', 'gru_keras2_reference.json'), 'utf8'),
  ) as Record<string, { input: number[][][]; output: number[][] }>;
  for (const variant of ['reset_after_false', 'reset_after_true']) {
    it(`GRU ${variant} reproduces the NumPy reference to 1e-5`, async () => {
      const model = await loadModel(fixture('keras2', `gru_keras2_${variant}.h5`));
      const ref = reference[variant] as { input: number[][][]; output: number[][] };
      const x = tf.tensor(ref.input);
      const expected = tf.tensor(ref.output);
      const y = model.apply(x) as tf.Tensor;
      expect(maxAbsDiff(y, expected)).toBeLessThan(1e-5);
      tf.dispose([x, expected, y]);
      model.dispose();
    });
  }
});
