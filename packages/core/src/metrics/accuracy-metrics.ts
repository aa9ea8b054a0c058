import * as tf from '@tensorflow/tfjs-core';
import { type Config, registerKerasClass } from '../saving/registry.js';
import { type MetricArgs, squeezeOrExpandToSameRank } from './metric.js';
import { MeanMetricWrapper, registerMetricFunction } from './reduction-metrics.js';

/** 1 where `yPred` equals `yTrue` exactly, else 0, elementwise (Keras `accuracy`). */
export function accuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return tf.cast(tf.equal(t, p), 'float32');
}

/**
 * 1 where `(yPred > threshold) == yTrue`, elementwise (Keras `binary_accuracy`); the metric's
 * reduction then averages each sample's entries, weighted by a per-entry `sampleWeight` if given.
 */
export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Tensor {
  const [t, p] = squeezeOrExpandToSameRank(yTrue, yPred);
  return tf.cast(tf.equal(t, tf.cast(tf.greater(p, threshold), t.dtype)), 'float32');
}

/** 1 where `argmax(yTrue) == argmax(yPred)` (Keras `categorical_accuracy`). */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), 'float32');
}

/** Integer labels: a trailing 1 of labels with the predictions' rank is squeezed. */
function sparseLabels(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1
    ? tf.squeeze(yTrue, [-1])
    : yTrue;
}

/** 1 where the label equals `argmax(yPred)` (Keras `sparse_categorical_accuracy`). */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  // Keras compares in the predictions' float dtype (a label 1.5 matches nothing).
  return tf.cast(
    tf.equal(
      tf.cast(sparseLabels(yTrue, yPred), 'float32'),
      tf.cast(tf.argMax(yPred, -1), 'float32'),
    ),
    'float32',
  );
}

/**
 * 1 where the integer label is among the `k` largest predictions (Keras
 * `sparse_top_k_categorical_accuracy`). As Keras's `in_top_k`, the label's rank is 1 + the number
 * of strictly larger predictions, so classes tied with the k-th largest all count as inside.
 * With `fromSortedIds`, `yPred` holds class ids sorted by score and its first `k` columns are
 * compared with the label.
 */
export function sparseTopKCategoricalAccuracy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  k = 5,
  fromSortedIds = false,
): tf.Tensor {
  const labels = tf.cast(sparseLabels(yTrue, yPred), fromSortedIds ? 'float32' : 'int32');
  if (fromSortedIds) {
    const kk = Math.min(k, yPred.shape[yPred.rank - 1]!);
    const ids = tf.slice(yPred, 0, [...yPred.shape.slice(0, -1), kk]);
    return tf.cast(tf.any(tf.equal(ids, tf.expandDims(labels, -1)), -1), 'float32');
  }
  const classes = yPred.shape[yPred.rank - 1]!;
  const atLabel = tf.sum(tf.mul(yPred, tf.oneHot(labels, classes, 1, 0, 'float32')), -1, true);
  const larger = tf.sum(tf.cast(tf.greater(yPred, atLabel), 'int32'), -1);
  return tf.cast(tf.less(larger, k), 'float32');
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

export interface SparseTopKArgs extends TopKArgs {
  /**
   * `yPred` holds class ids sorted by decreasing score (e.g. from a retrieval model) instead of
   * scores; its first `k` columns are compared with the label.
   * @default false
   */
  fromSortedIds?: boolean;
}

/** How often the integer label is in the top `k` predictions. */
export class SparseTopKCategoricalAccuracy extends MeanMetricWrapper {
  static override readonly className: string = 'SparseTopKCategoricalAccuracy';
  readonly k: number;
  readonly fromSortedIds: boolean;
  constructor({ k = 5, fromSortedIds = false, ...args }: SparseTopKArgs = {}) {
    super({ ...args, fn: (t, p) => sparseTopKCategoricalAccuracy(t, p, k, fromSortedIds) });
    this.k = k;
    this.fromSortedIds = fromSortedIds;
  }
  override getConfig(): Config {
    // Keras writes from_sorted_ids only when it is set.
    const config: Config = { ...super.getConfig(), k: this.k };
    if (this.fromSortedIds) config.from_sorted_ids = true;
    return config;
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

// The functions MeanMetricWrapper configs name as `fn` (with Keras's keyword arguments).
registerMetricFunction('accuracy', accuracy);
registerMetricFunction('binary_accuracy', (t, p, kw) =>
  binaryAccuracy(t, p, (kw.threshold as number | undefined) ?? 0.5),
);
registerMetricFunction('categorical_accuracy', categoricalAccuracy);
registerMetricFunction('sparse_categorical_accuracy', sparseCategoricalAccuracy);
registerMetricFunction('top_k_categorical_accuracy', (t, p, kw) =>
  topKCategoricalAccuracy(t, p, (kw.k as number | undefined) ?? 5),
);
registerMetricFunction('sparse_top_k_categorical_accuracy', (t, p, kw) =>
  sparseTopKCategoricalAccuracy(
    t,
    p,
    (kw.k as number | undefined) ?? 5,
    (kw.from_sorted_ids as boolean | undefined) ?? false,
  ),
);
