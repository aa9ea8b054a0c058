export { CTC, ctc } from './ctc.js';
export { deserialize, get, register, serialize } from './get.js';
export {
  CategoricalHinge,
  categoricalHinge,
  Hinge,
  hinge,
  SquaredHinge,
  squaredHinge,
} from './hinge.js';
export {
  Loss,
  type LossArgs,
  type LossConfig,
  type LossFunction,
  LossFunctionWrapper,
  type Reduction,
  reduceWeightedValues,
} from './loss.js';
export {
  BinaryCrossentropy,
  type BinaryCrossentropyArgs,
  BinaryFocalCrossentropy,
  type BinaryFocalCrossentropyArgs,
  binaryCrossentropy,
  binaryFocalCrossentropy,
  CategoricalCrossentropy,
  type CategoricalCrossentropyArgs,
  CategoricalFocalCrossentropy,
  type CategoricalFocalCrossentropyArgs,
  categoricalCrossentropy,
  categoricalFocalCrossentropy,
  KLDivergence,
  klDivergence,
  Poisson,
  poisson,
  SparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyArgs,
  sparseCategoricalCrossentropy,
} from './probabilistic.js';
export {
  CosineSimilarity,
  type CosineSimilarityArgs,
  cosineSimilarity,
  Huber,
  type HuberArgs,
  huber,
  LogCosh,
  logCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  meanSquaredLogarithmicError,
} from './regression.js';
export { Dice, type DiceArgs, dice, Tversky, type TverskyArgs, tversky } from './segmentation.js';
