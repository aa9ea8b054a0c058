import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy-metrics.js';
import { get } from './get.js';
import type { Metric } from './metric.js';
import { iris } from './test-data.test-helper.js';

beforeAll(async () => {
  await ready();
});

const value = (m: Metric) => {
  const r = m.result();
  const v = r.dataSync()[0]!;
  r.dispose();
  return v;
};

describe('accuracy metrics', () => {
  it('Accuracy: Keras docstring values, with and without sample weights', () => {
    const m = new Accuracy();
    m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]]);
    expect(value(m)).toBeCloseTo(0.75, 6);
    m.resetState();
    m.updateState([[1], [2], [3], [4]], [[0], [2], [3], [4]], [1, 1, 0, 0]);
    expect(value(m)).toBeCloseTo(0.5, 6);
    expect(m.name).toBe('accuracy');
    m.dispose();
  });

  it('BinaryAccuracy thresholds predictions (Keras docstring: 0.75, weighted 0.5)', () => {
    const m = new BinaryAccuracy();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]);
    expect(value(m)).toBeCloseTo(0.75, 6);
    m.resetState();
    m.updateState([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1]);
    expect(value(m)).toBeCloseTo(0.5, 6);
    m.dispose();
  });

  it('Categorical / SparseCategorical accuracy on iris with a petal-length rule, accumulated over batches', () => {
    const { labels, predicted } = iris();
    const expected = labels.filter((l, i) => l === predicted[i]).length / labels.length;
    const sparse = new SparseCategoricalAccuracy();
    const categorical = new CategoricalAccuracy();
    const before = tf.memory().numTensors;
    for (let start = 0; start < 150; start += 32) {
      const y = labels.slice(start, start + 32);
      const scores = predicted
        .slice(start, start + 32)
        .map((p) => [0, 1, 2].map((c) => (c === p ? 0.8 : 0.1)));
      sparse.updateState(y, scores);
      categorical.updateState(
        y.map((l) => [0, 1, 2].map((c) => (c === l ? 1 : 0))),
        scores,
      );
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(value(sparse)).toBeCloseTo(expected, 6);
    expect(value(categorical)).toBeCloseTo(expected, 6);
    expect(expected).toBeGreaterThan(0.9);
    sparse.dispose();
    categorical.dispose();
  });

  it('top-k accuracies (Keras docstring: k=1 -> 0.5 / sparse 0.5)', () => {
    const m = new TopKCategoricalAccuracy({ k: 1 });
    m.updateState(
      [
        [0, 0, 1],
        [0, 1, 0],
      ],
      [
        [0.1, 0.9, 0.8],
        [0.05, 0.95, 0],
      ],
    );
    expect(value(m)).toBeCloseTo(0.5, 6);
    const s = new SparseTopKCategoricalAccuracy({ k: 2 });
    s.updateState(
      [2, 1, 0],
      [
        [0.1, 0.9, 0.8],
        [0.05, 0.95, 0],
        [0.1, 0.5, 0.4],
      ],
    );
    expect(value(s)).toBeCloseTo(2 / 3, 6);
    m.dispose();
    s.dispose();
  });

  it('metrics.get accepts camelCase, snake_case, class names and config dicts', () => {
    for (const name of [
      'sparseCategoricalAccuracy',
      'sparse_categorical_accuracy',
      'SparseCategoricalAccuracy',
    ]) {
      const m = get(name);
      expect(m).toBeInstanceOf(SparseCategoricalAccuracy);
      m.dispose();
    }
    const auc = get('AUC');
    expect(auc.name).toBe('auc');
    const b = get({
      module: 'keras.metrics',
      class_name: 'BinaryAccuracy',
      config: { name: 'ba', threshold: 0.7 },
      registered_name: null,
    });
    expect(b).toBeInstanceOf(BinaryAccuracy);
    expect((b as BinaryAccuracy).threshold).toBe(0.7);
    expect(b.getConfig()).toEqual({ name: 'ba', dtype: 'float32', threshold: 0.7 });
    expect(() => get('nope')).toThrow(/unknown metric 'nope'\. Expected one of accuracy/);
    tf.dispose([]);
    auc.dispose();
    b.dispose();
  });
});
