import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { asFloat, type MetricInput } from './metric.js';

/** Keras's epsilon for the outermost thresholds, so that 0 and 1 predictions are counted. */
export const THRESHOLD_EPSILON = 1e-7;

/**
 * `numThresholds` thresholds evenly spread over [0, 1] with the end points nudged outside by
 * epsilon (Keras's AUC and *AtRecall / *AtSpecificity thresholds).
 */
export function evenThresholds(numThresholds: number): number[] {
  if (!Number.isInteger(numThresholds) || numThresholds < 2) {
    throw new ValueError(
      `numThresholds must be an integer > 1. Received: numThresholds=${numThresholds}.`,
    );
  }
  const inner = Array.from({ length: numThresholds - 2 }, (_, i) => (i + 1) / (numThresholds - 1));
  return [0 - THRESHOLD_EPSILON, ...inner, 1 + THRESHOLD_EPSILON];
}

export interface ConfusionOptions {
  thresholds: number[];
  /** Keep only each row's `topK` largest predictions (the rest count as negative). */
  topK?: number | undefined;
  /** Only this column of `[batch, classes]` inputs. */
  classId?: number | undefined;
  sampleWeight?: MetricInput | undefined;
  /** Count per label (last axis) instead of over all entries: results `[T, labels]`. */
  multiLabel?: boolean;
}

export interface ConfusionCounts {
  tp: tf.Tensor;
  fp: tf.Tensor;
  tn: tf.Tensor;
  fn: tf.Tensor;
}

/**
 * Weighted true/false positive/negative counts of one batch at each threshold (Keras
 * `update_confusion_matrix_variables`): a prediction is positive when `yPred > threshold`, a label
 * when it is non-zero. Call inside a tidy. Shapes `[T]`, or `[T, labels]` with `multiLabel`.
 */
export function confusionCounts(
  yTrue: MetricInput,
  yPred: MetricInput,
  options: ConfusionOptions,
): ConfusionCounts {
  const { thresholds, topK, classId, sampleWeight, multiLabel = false } = options;
  let t = asFloat(yTrue);
  let p = asFloat(yPred);
  if (t.rank === p.rank + 1 && t.shape[t.rank - 1] === 1) t = tf.squeeze(t, [-1]);
  if (p.rank === t.rank + 1 && p.shape[p.rank - 1] === 1) p = tf.squeeze(p, [-1]);
  if (!tf.util.arraysEqual(t.shape, p.shape)) {
    throw new ValueError(
      `yTrue and yPred must have the same shape. Received [${t.shape}] and [${p.shape}].`,
    );
  }
  let w: tf.Tensor | undefined;
  if (sampleWeight !== undefined) {
    w = asFloat(sampleWeight);
    while (w.rank < p.rank) w = tf.expandDims(w, -1);
    w = tf.broadcastTo(w, p.shape);
  }
  if (topK !== undefined) {
    const k = Math.min(topK, p.shape[p.rank - 1]!);
    const kth = tf.slice(
      tf.topk(p, k).values,
      new Array(p.rank).fill(0).map((_, i) => (i === p.rank - 1 ? k - 1 : 0)),
      p.shape.map((d, i) => (i === p.rank - 1 ? 1 : d)),
    );
    p = tf.where(tf.greaterEqual(p, kth), p, tf.fill(p.shape, -Infinity));
  }
  if (classId !== undefined) {
    const classes = p.shape[p.rank - 1]!;
    if (!(Number.isInteger(classId) && classId >= 0 && classId < classes)) {
      throw new ValueError(
        `classId must be an integer in [0, ${classes}). Received: classId=${classId}.`,
      );
    }
    const begin = p.shape.map((_, i) => (i === p.rank - 1 ? classId : 0));
    const size = p.shape.map((d, i) => (i === p.rank - 1 ? 1 : d));
    p = tf.slice(p, begin, size);
    t = tf.slice(t, begin, size);
    if (w) w = tf.slice(w, begin, size);
  }
  const labels = multiLabel ? p.shape[p.rank - 1]! : 1;
  const rows = p.size / labels;
  const pred = tf.reshape(p, [1, rows, labels]);
  const label = tf.cast(tf.notEqual(tf.reshape(t, [1, rows, labels]), 0), 'float32');
  const weight = w ? tf.reshape(w, [1, rows, labels]) : tf.onesLike(label);
  const thr = tf.tensor3d(thresholds, [thresholds.length, 1, 1]);
  const predPos = tf.cast(tf.greater(pred, thr), 'float32');
  const predNeg = tf.sub(1, predPos);
  const posW = tf.mul(label, weight);
  const negW = tf.mul(tf.sub(1, label), weight);
  const counts = (a: tf.Tensor, b: tf.Tensor) => {
    const s = tf.sum(tf.mul(a, b), 1);
    return multiLabel ? s : tf.reshape(s, [thresholds.length]);
  };
  return {
    tp: counts(predPos, posW),
    fp: counts(predPos, negW),
    tn: counts(predNeg, negW),
    fn: counts(predNeg, posW),
  };
}
