import type { Layer } from '../engine/layer.js';
import { modelFromKerasDict, modelToKerasDict } from './keras-file.js';
import type { Config, KerasObjectDict, SerializableClass } from './registry.js';

/**
 * The `config.json` dict Keras writes for a model (Keras's `serialize_keras_object(model)` plus
 * `compile_config`): what a `.keras` archive and a KerasHub-style preset folder store.
 */
export function modelToConfig(model: Layer): KerasObjectDict {
  return modelToKerasDict(model);
}

/**
 * Rebuilds a model (or layer) from a Keras `config.json` dict, with fresh weights (Keras's
 * `deserialize_keras_object`). `source` names the file in errors.
 */
export function modelFromConfig(
  config: Config,
  customObjects: Record<string, SerializableClass> = {},
  source = 'config',
): Layer {
  return modelFromKerasDict(config, source, customObjects);
}
