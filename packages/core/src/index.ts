/**
 * @cornu/core: the backend, Layer and Model, layers, training, data and saving.
 * Explicit named exports only; the public-surface test snapshots this list.
 */
// tfjs-core's CommonJS build must load before the side-effect modules: the first engine created wins, and only its Tensor class has clone().
import '@tensorflow/tfjs-core';
import './backend/tfjs-side-effects.js';
import * as tf from '@tensorflow/tfjs-core';

export * as backend from './backend/index.js';
export {
  CornuError,
  NotFoundError,
  NotImplementedError,
  RuntimeError,
  ValueError,
} from './errors/errors.js';
/** The tfjs-core namespace Cornu runs on: one copy, shared by every Cornu package. */
export { tf };
export * as datasets from './datasets/index.js';
export { Input, type InputArgs, InputLayer } from './engine/input-layer.js';
export { InputSpec, type InputSpecArgs, type Shape } from './engine/input-spec.js';
export { isKerasTensor, KerasTensor } from './engine/keras-tensor.js';
export { type ApplyArgs, type CallArgs, Layer, type LayerArgs } from './engine/layer.js';
export { LayerVariable } from './engine/layer-variable.js';
export { getMask, type Mask, setMask } from './engine/mask.js';
export { Model, type ModelArgs } from './engine/model.js';
export { resetNames } from './engine/naming.js';
export { Sequential, type SequentialArgs } from './engine/sequential.js';
export * as layers from './layers/index.js';
export * as activations from './activations/index.js';
export * as initializers from './initializers/index.js';
export * as regularizers from './regularizers/index.js';
export * as constraints from './constraints/index.js';
export * as saving from './saving/index.js';
export * as losses from './losses/index.js';
export * as optimizers from './optimizers/index.js';
export { type ValueAndGrads, valueAndGrads } from './training/value-and-grads.js';
import './training/trainer.js'; // installs compile/fit/evaluate/predict on Model
export type {
  CompileArgs,
  EvaluateArgs,
  FitArgs,
  PredictArgs,
  StepData,
  StepLogs,
  TrainingMethods,
  Verbose,
} from './training/trainer.js';
export * as utils from './utils/index.js';
export * as metrics from './metrics/index.js';
export * as callbacks from './callbacks/index.js';
export * as data from './data/index.js';
