import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { get } from './get.js';
import { IoU, MeanIoU, OneHotIoU, OneHotMeanIoU } from './iou-metrics.js';
import type { Metric } from './metric.js';
import {
  PrecisionAtRecall,
  RecallAtPrecision,
  SensitivityAtSpecificity,
  SpecificityAtSensitivity,
} from './sensitivity-metrics.js';
import { R2Score } from './regression-metrics.js';

beforeAll(async () => {
  await ready();
});

const NAMES = [
  'accuracy',
  'binary_accuracy',
  'categorical_accuracy',
  'sparse_categorical_accuracy',
  'top_k_categorical_accuracy',
  'sparse_top_k_categorical_accuracy',
  'mse',
  'mae',
  'root_mean_squared_error',
  'auc',
  'precision',
  'recall',
  'true_positives',
  'false_positives',
  'true_negatives',
  'false_negatives',
  'f1_score',
  'fbeta_score',
];

describe('every metric', () => {
  it('keeps tf.memory flat across repeated updates, results and resets, and resets to the initial result', () => {
    const yTrue = tf.tensor2d([
      [0, 1, 0],
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
    const yPred = tf.tensor2d([
      [0.1, 0.8, 0.1],
      [0.3, 0.6, 0.1],
      [0.2, 0.2, 0.6],
      [0.5, 0.4, 0.1],
    ]);
    const labels = tf.tensor1d([1, 0, 2, 1]);
    const weights = tf.tensor1d([1, 0.5, 2, 1]);
    const metrics: [Metric, tf.Tensor, tf.Tensor][] = NAMES.map((n) => [
      get(n),
      n.startsWith('sparse') ? labels : yTrue,
      yPred,
    ]);
    metrics.push(
      [new R2Score(), yTrue, yPred],
      [new SensitivityAtSpecificity(0.5), yTrue, yPred],
      [new SpecificityAtSensitivity(0.5), yTrue, yPred],
      [new PrecisionAtRecall(0.5), yTrue, yPred],
      [new RecallAtPrecision(0.5), yTrue, yPred],
      [new MeanIoU({ numClasses: 3 }), labels, tf.argMax(yPred, -1)],
      [new IoU({ numClasses: 3, targetClassIds: [0] }), labels, tf.argMax(yPred, -1)],
      [new OneHotIoU({ numClasses: 3, targetClassIds: [1] }), yTrue, yPred],
      [new OneHotMeanIoU({ numClasses: 3 }), yTrue, yPred],
    );
    for (const [m, t, p] of metrics) {
      m.updateState(t, p);
      const fresh = m.result();
      const start = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        m.updateState(t, p, weights);
        tf.dispose(m.result());
      }
      expect(tf.memory().numTensors, m.name).toBe(start);
      m.resetState();
      m.updateState(t, p);
      const again = m.result();
      expect(Array.from(again.dataSync()), m.name).toEqual(Array.from(fresh.dataSync()));
      expect(
        m.variables.every((v) => !v.trainable),
        m.name,
      ).toBe(true);
      tf.dispose([fresh, again]);
      m.dispose();
    }
  });
});
