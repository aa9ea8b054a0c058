import { ValueError } from '../errors/errors.js';
import {
  deserializeKerasObject,
  isKerasObjectDict,
  type KerasObjectDict,
  serializeKerasObject,
} from '../saving/registry.js';
import {
  Accuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
} from './accuracy-metrics.js';
import { AUC } from './auc.js';
import {
  FalseNegatives,
  FalsePositives,
  Precision,
  Recall,
  TrueNegatives,
  TruePositives,
} from './confusion-metrics.js';
import { F1Score, FBetaScore } from './f-score-metrics.js';
import type { Metric } from './metric.js';
import { Mean, Sum } from './reduction-metrics.js';
import {
  MeanAbsoluteError,
  MeanSquaredError,
  R2Score,
  RootMeanSquaredError,
} from './regression-metrics.js';

const FACTORIES: Record<string, () => Metric> = {
  accuracy: () => new Accuracy(),
  acc: () => new Accuracy(),
  binary_accuracy: () => new BinaryAccuracy(),
  categorical_accuracy: () => new CategoricalAccuracy(),
  sparse_categorical_accuracy: () => new SparseCategoricalAccuracy(),
  top_k_categorical_accuracy: () => new TopKCategoricalAccuracy(),
  sparse_top_k_categorical_accuracy: () => new SparseTopKCategoricalAccuracy(),
  mean_squared_error: () => new MeanSquaredError(),
  mse: () => new MeanSquaredError({ name: 'mse' }),
  mean_absolute_error: () => new MeanAbsoluteError(),
  mae: () => new MeanAbsoluteError({ name: 'mae' }),
  root_mean_squared_error: () => new RootMeanSquaredError(),
  r2_score: () => new R2Score(),
  auc: () => new AUC(),
  precision: () => new Precision(),
  recall: () => new Recall(),
  true_positives: () => new TruePositives(),
  false_positives: () => new FalsePositives(),
  true_negatives: () => new TrueNegatives(),
  false_negatives: () => new FalseNegatives(),
  f1_score: () => new F1Score(),
  fbeta_score: () => new FBetaScore(),
  mean: () => new Mean(),
  sum: () => new Sum(),
};

/** 'sparseCategoricalAccuracy' / 'SparseCategoricalAccuracy' -> 'sparse_categorical_accuracy'. */
function normalize(name: string): string {
  if (name === 'AUC') return 'auc';
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Resolves a metric identifier (Keras `metrics.get`): a Metric instance (returned as is), a name in
 * camelCase, snake_case or as the class name ('accuracy', 'sparseCategoricalAccuracy',
 * 'sparse_categorical_accuracy', 'SparseCategoricalAccuracy', 'mse', 'AUC'), or a Keras config dict.
 * Each call with a name returns a new metric with fresh state.
 *
 * Note: as in Keras, 'accuracy' here is exact-match `Accuracy`; `compile` picks the binary, categorical or
 * sparse variant from the loss and the output shape.
 */
export function get(identifier: string | Metric | KerasObjectDict): Metric {
  if (typeof identifier === 'object' && !isKerasObjectDict(identifier)) return identifier;
  if (isKerasObjectDict(identifier)) return deserializeKerasObject<Metric>(identifier);
  const factory = FACTORIES[normalize(identifier)];
  if (!factory) {
    throw new ValueError(
      `metrics.get: unknown metric '${identifier}'. Expected one of ${Object.keys(FACTORIES).join(', ')} (camelCase accepted), a Metric or a Keras config dict.`,
    );
  }
  return factory();
}

/** Writes a metric as a Keras config dict `{ module, class_name, config, registered_name }`. */
export function serialize(metric: Metric): KerasObjectDict {
  return serializeKerasObject(metric);
}
