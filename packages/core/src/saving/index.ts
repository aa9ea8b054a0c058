/**
 * Saving and interop: Keras 3 `.keras` archives and `.weights.h5` files, Keras 2 `.h5` models,
 * TF.js layers models, and the Keras class registry.
 */
export { atomicWrite } from './atomic-write.js';
export { getCompileConfig } from './compile-config.js';
export {
  KERAS_VERSION,
  type LoadModelOptions,
  loadWeights,
  type SaveModelOptions,
  saveWeights,
} from './keras-file.js';
export { loadModel, saveModel } from './load-model.js';
export { modelFromConfig, modelToConfig } from './model-config.js';
export {
  type Config,
  type ConfigValue,
  deserializeKerasObject,
  getRegisteredClass,
  type KerasObjectDict,
  registerKerasClass,
  registerSerializable,
  type SerializableClass,
  serializeKerasObject,
} from './registry.js';
export type { LoadWeightsOptions, LoadWeightsReport } from './weights-h5.js';
