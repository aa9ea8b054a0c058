import * as tf from '@tensorflow/tfjs-core';
import { type Config, registerKerasClass } from '../saving/registry.js';
import type { MetricArgs } from './metric.js';
import { MeanMetricWrapper } from './reduction-metrics.js';

/** Squeezes a trailing 1 so `[b, 1]` labels meet `[b]` predictions (Keras squeeze_or_expand_to_same_rank). */
function sameRank(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) return [tf.squeeze(a, [-1]), b];
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) return [a, tf.squeeze(b, [-1])];
  return [a, b];
}

/** 1 where `yPred` equals `yTrue` exactly, else 0 (Keras `accuracy`). */
export function accuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const [t, p] = sameRank(yTrue, yPred);
  return tf.cast(tf.equal(t, p), 'float32');
}

/** Mean over the last axis of `(yPred > threshold) == yTrue` (Keras `binary_accuracy`). */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Tensor {
  const [t, p] = sameRank(yTrue, yPred);
  const hits = tf.cast(tf.equal(t, tf.cast(tf.greater(p, threshold), t.dtype)), 'float32');
  return hits.rank > 1 ? tf.mean(hits, -1) : hits;
}

/** 1 where `argmax(yTrue) == argmax(yPred)` (Keras `categorical_accuracy`). */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32');
}

/** 1 where the integer label equals `argmax(yPred)` (Keras `sparse_categorical_accuracy`). */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  let labels = yTrue;
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1)
    labels = tf.squeeze(labels, [-1]);
  return tf.cast(tf.equal(tf.cast(labels, 'int32'), tf.argMax(yPred, -1)), 'float32');
}

/** 1 where the integer label is among the `k` largest predictions. */
export function sparseTopKCategoricalAccuracy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  k = 5,
): tf.Tensor {
  let labels = yTrue;
  if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1)
    labels = tf.squeeze(labels, [-1]);
  const classes = yPred.shape[yPred.rank - 1]!;
  const { indices } = tf.topk(yPred, Math.min(k, classes));
  return tf.cast(
    tf.any(tf.equal(indices, tf.expandDims(tf.cast(labels, 'int32'), -1)), -1),
    'float32',
  );
}

/** 1 where `argmax(yTrue)` is among the `k` largest predictions (Keras `top_k_categorical_accuracy`). */
export function topKCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, k = 5): tf.Tensor {
  return sparseTopKCategoricalAccuracy(tf.argMax(yTrue, -1), yPred, k);
}

/** How often predictions equal labels exactly. */
export class Accuracy extends MeanMetricWrapper {
  static override readonly className: string = 'Accuracy';
  constructor(args: MetricArgs = {}) {
    super({ ...args, fn: accuracy });
  }
}

export interface BinaryAccuracyArgs extends MetricArgs {
  /**
   * Predictions above it count as 1.
   * @default 0.5
   */
  threshold?: number;
}

/** How often thresholded predictions match binary labels. */
export class BinaryAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'BinaryAccuracy';
  readonly threshold: number;
  constructor({ threshold = 0.5, ...args }: BinaryAccuracyArgs = {}) {
    super({ ...args, fn: (t, p) => binaryAccuracy(t, p, threshold) });
    this.threshold = threshold;
  }
  override getConfig(): Config {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/** How often the predicted class (argmax) equals the one-hot label's class. */
export class CategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'CategoricalAccuracy';
  constructor(args: MetricArgs = {}) {
    super({ ...args, fn: categoricalAccuracy });
  }
}

/** How often the predicted class (argmax) equals the integer label. */
export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseCategoricalAccuracy';
  constructor(args: MetricArgs = {}) {
    super({ ...args, fn: sparseCategoricalAccuracy });
  }
}

export interface TopKArgs extends MetricArgs {
  /**
   * How many of the largest predictions count as a hit.
   * @default 5
   */
  k?: number;
}

/** How often the one-hot label's class is in the top `k` predictions. */
export class TopKCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'TopKCategoricalAccuracy';
  readonly k: number;
  constructor({ k = 5, ...args }: TopKArgs = {}) {
    super({ ...args, fn: (t, p) => topKCategoricalAccuracy(t, p, k) });
    this.k = k;
  }
  override getConfig(): Config {
    return { ...super.getConfig(), k: this.k };
  }
}

/** How often the integer label is in the top `k` predictions. */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  constructor({ k = 5, ...args }: TopKArgs = {}) {
    super({ ...args, fn: (t, p) => sparseTopKCategoricalAccuracy(t, p, k) });
    this.k = k;
  }
  override getConfig(): Config {
    return { ...super.getConfig(), k: this.k };
  }
}

for (const cls of [
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
]) {
  registerKerasClass('keras.metrics', cls);
}
