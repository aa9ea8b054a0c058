export { CosineDecay, type CosineDecayArgs } from './cosine-decay.js';
export { CosineDecayRestarts, type CosineDecayRestartsArgs } from './cosine-decay-restarts.js';
export { ExponentialDecay, type ExponentialDecayArgs } from './exponential-decay.js';
export { InverseTimeDecay, type InverseTimeDecayArgs } from './inverse-time-decay.js';
export {
  deserializeSchedule as deserialize,
  LearningRateSchedule,
  registerSchedule,
  type SerializedSchedule,
  serializeSchedule as serialize,
} from './learning-rate-schedule.js';
export {
  PiecewiseConstantDecay,
  type PiecewiseConstantDecayArgs,
} from './piecewise-constant-decay.js';
export { PolynomialDecay, type PolynomialDecayArgs } from './polynomial-decay.js';
