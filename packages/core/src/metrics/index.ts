export {
  Accuracy,
  accuracy,
  BinaryAccuracy,
  type BinaryAccuracyArgs,
  binaryAccuracy,
  CategoricalAccuracy,
  categoricalAccuracy,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  type SparseTopKArgs,
  sparseCategoricalAccuracy,
  sparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  type TopKArgs,
  topKCategoricalAccuracy,
} from './accuracy-metrics.js';
export { AUC, type AUCArgs } from './auc.js';
export {
  FalseNegatives,
  FalsePositives,
  Precision,
  type PrecisionRecallArgs,
  Recall,
  type ThresholdsArgs,
  TrueNegatives,
  TruePositives,
} from './confusion-metrics.js';
export { F1Score, type F1ScoreArgs, FBetaScore, type FBetaScoreArgs } from './f-score-metrics.js';
export { get, serialize } from './get.js';
export {
  IoU,
  type IoUArgs,
  MeanIoU,
  type MeanIoUArgs,
  OneHotIoU,
  OneHotMeanIoU,
} from './iou-metrics.js';
export { Metric, type MetricArgs, type MetricInput } from './metric.js';
export {
  Mean,
  MeanMetricWrapper,
  type MeanMetricWrapperArgs,
  type MetricFunction,
  Sum,
} from './reduction-metrics.js';
export {
  MeanAbsoluteError,
  MeanSquaredError,
  meanAbsoluteError,
  meanSquaredError,
  R2Score,
  type R2ScoreArgs,
  RootMeanSquaredError,
} from './regression-metrics.js';
export {
  type AtValueArgs,
  PrecisionAtRecall,
  RecallAtPrecision,
  SensitivityAtSpecificity,
  SpecificityAtSensitivity,
} from './sensitivity-metrics.js';
