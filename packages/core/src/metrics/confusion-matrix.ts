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

/**
 * Keras `is_evenly_distributed_thresholds`: at least 3 thresholds, each within numpy's `allclose`
 * (atol 1e-7, rtol 1e-5) of `i / (n - 1)`. Keras then counts with its bucketing path.
 */
export function isEvenlyDistributed(thresholds: number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  return thresholds.every((t, i) => {
    const even = i / (n - 1);
    return Math.abs(t - even) <= THRESHOLD_EPSILON + 1e-5 * Math.abs(even);
  });
}

export interface ConfusionOptions {
  thresholds: number[];
  /**
   * Count as Keras's "optimized" path for evenly spaced thresholds does (used by AUC, the
   * *AtSensitivity family and evenly spaced threshold lists): predictions are clipped to [0, 1]
   * and put in bucket `ceil(p * (T - 1)) - 1` (at least 0 when the outer thresholds carry the
   * epsilon), and a prediction is positive at threshold `i` when its bucket is `>= i`. This is
   * `p > threshold` except for predictions outside [0, 1] and float32 rounding at the thresholds,
   * which is exactly where results would otherwise differ from Keras.
   */
  evenlyDistributed?: boolean;
  /** Keep only each row's `topK` largest predictions (the rest count as negative). */
  topK?: number | undefined;
  /** Only this column of `[batch, classes]` inputs. */
  classId?: number | undefined;
  sampleWeight?: MetricInput | undefined;
  /** Count per label (last axis) instead of over all entries: results `[T, labels]`. */
  multiLabel?: boolean;
  /** Per-label (last axis) weights multiplied into the sample weights (not with `multiLabel`). */
  labelWeights?: number[] | undefined;
}

export interface ConfusionCounts {
  tp: tf.Tensor;
  fp: tf.Tensor;
  tn: tf.Tensor;
  fn: tf.Tensor;
}

/**
 * Keras `_filter_top_k`: keeps exactly `k` entries of each row (the largest; among equal values
 * the lower index first, as `top_k`) and replaces the others (Keras: by -1e10; here by -Infinity,
 * which no threshold, not even the default -Infinity used with `topK`, is below). Ties are
 * resolved from the k-th value and a running count, not from the backend's `topk` indices, whose
 * order among equal values is not specified everywhere.
 */
function filterTopK(p: tf.Tensor, topK: number): tf.Tensor {
  const classes = p.shape[p.rank - 1]!;
  const k = Math.min(topK, classes);
  const kth = tf.slice(
    tf.topk(p, k).values,
    new Array(p.rank).fill(0).map((_, i) => (i === p.rank - 1 ? k - 1 : 0)),
    p.shape.map((d, i) => (i === p.rank - 1 ? 1 : d)),
  );
  const above = tf.greater(p, kth);
  const tied = tf.cast(tf.equal(p, kth), 'int32');
  // Slots left for tied entries, filled from the left.
  const room = tf.sub(k, tf.sum(tf.cast(above, 'int32'), -1, true));
  const tiedBefore = tf.cumsum(tied, p.rank - 1, true);
  const keep = tf.logicalOr(above, tf.logicalAnd(tf.cast(tied, 'bool'), tf.less(tiedBefore, room)));
  return tf.where(keep, p, tf.fill(p.shape, Number.NEGATIVE_INFINITY));
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
  const {
    thresholds,
    evenlyDistributed = false,
    topK,
    classId,
    sampleWeight,
    multiLabel = false,
    labelWeights,
  } = options;
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
    try {
      w = tf.broadcastTo(w, p.shape);
    } catch (cause) {
      throw new ValueError(
        `sampleWeight of shape [${w.shape}] does not broadcast to the predictions of shape [${p.shape}].`,
        { cause },
      );
    }
  }
  if (topK !== undefined) p = filterTopK(p, topK);
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
  if (labelWeights !== undefined && !multiLabel) {
    const lw = tf.broadcastTo(tf.tensor1d(labelWeights, 'float32'), p.shape);
    w = w ? tf.mul(w, lw) : lw;
  }
  const labels = multiLabel ? p.shape[p.rank - 1]! : 1;
  const rows = p.size / labels;
  const T = thresholds.length;
  const pred = tf.reshape(p, [1, rows, labels]);
  const label = tf.cast(tf.notEqual(tf.reshape(t, [1, rows, labels]), 0), 'float32');
  const weight = w ? tf.reshape(w, [1, rows, labels]) : tf.onesLike(label);
  let predPos: tf.Tensor;
  if (evenlyDistributed) {
    let bucket = tf.sub(tf.ceil(tf.mul(tf.clipByValue(pred, 0, 1), T - 1)), 1);
    if (thresholds[0]! < 0 || thresholds[T - 1]! > 1) bucket = tf.relu(bucket);
    const index = tf.tensor3d(
      Array.from({ length: T }, (_, i) => i),
      [T, 1, 1],
    );
    predPos = tf.cast(tf.greaterEqual(bucket, index), 'float32');
  } else {
    const thr = tf.tensor3d(thresholds, [T, 1, 1]);
    predPos = tf.cast(tf.greater(pred, thr), 'float32');
  }
  const predNeg = tf.sub(1, predPos);
  const posW = tf.mul(label, weight);
  const negW = tf.mul(tf.sub(1, label), weight);
  const counts = (a: tf.Tensor, b: tf.Tensor) => {
    const s = tf.sum(tf.mul(a, b), 1);
    return multiLabel ? s : tf.reshape(s, [T]);
  };
  return {
    tp: counts(predPos, posW),
    fp: counts(predPos, negW),
    tn: counts(predNeg, negW),
    fn: counts(predNeg, posW),
  };
}
