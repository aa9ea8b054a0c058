/**
 * @cornu/tuner: hyperparameter search in the spirit of KerasTuner.
 * Explicit named exports only.
 */
export {
  BaseTuner,
  type BaseTunerArgs,
  type ResumePoint,
  type TrialContext,
  type TrialResult,
} from './engine/base-tuner.js';
export {
  BooleanChoice,
  Choice,
  type ChoiceOptions,
  type Condition,
  Fixed,
  Float,
  type FloatOptions,
  HyperParameter,
  type HyperParameterConfig,
  HyperParameters,
  type HyperParametersConfig,
  type HyperParameterValue,
  Int,
  type IntOptions,
  type Sampling,
} from './engine/hyperparameters.js';
export {
  HyperImageAugment,
  type HyperImageAugmentArgs,
  type TransformRange,
} from './hypermodels/hyper-image-augment.js';
export { HyperMLP, type HyperMLPArgs } from './hypermodels/hyper-mlp.js';
export { RandomChoice, type RandomChoiceArgs } from './hypermodels/random-choice.js';
export { type Direction, Objective } from './engine/objective.js';
export { Oracle, type OracleArgs, type OracleState, type Population } from './engine/oracle.js';
export {
  MedianPruner,
  type MedianPrunerArgs,
  type Pruner,
  SuccessiveHalvingPruner,
  type SuccessiveHalvingPrunerArgs,
} from './engine/pruners.js';
export {
  type MetricObservation,
  Trial,
  type TrialConfig,
  type TrialStatus,
} from './engine/trial.js';
export {
  BayesianOptimizationOracle,
  type BayesianOptimizationOracleArgs,
} from './oracles/bayesian-optimization-oracle.js';
export { GaussianProcess } from './oracles/gaussian-process.js';
export { GridSearchOracle } from './oracles/grid-search-oracle.js';
export { HyperbandOracle, type HyperbandOracleArgs } from './oracles/hyperband-oracle.js';
export { RandomSearchOracle } from './oracles/random-search-oracle.js';
export { TPEOracle, type TPEOracleArgs } from './oracles/tpe-oracle.js';
export {
  FunctionTuner,
  type FunctionTunerArgs,
  type ObjectiveFunction,
} from './tuners/function-tuner.js';
export {
  BayesianOptimization,
  type BayesianOptimizationArgs,
} from './tuners/bayesian-optimization.js';
export { GridSearch, type GridSearchArgs } from './tuners/grid-search.js';
export { Hyperband, type HyperbandArgs } from './tuners/hyperband.js';
export { RandomSearch, type RandomSearchArgs } from './tuners/random-search.js';
export {
  type HyperModelLike,
  type ModelSearchArgs,
  Tuner,
  type TunerArgs,
} from './tuners/tuner.js';
export {
  type FitData,
  type FitResult,
  FunctionHyperModel,
  fitModel,
  HyperModel,
  type HyperModelArgs,
} from './engine/hypermodel.js';
export { decodeWeights, encodeWeights } from './engine/weights-file.js';
