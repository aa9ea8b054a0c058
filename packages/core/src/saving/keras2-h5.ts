/**
 * Keras 2 full-model HDF5 files (`model.save('m.h5')`): the `model_config` attribute (Keras 2
 * config dialect) and the `model_weights` group (`<layer>/<layer>/kernel:0`, listed by the
 * `weight_names` attribute). The config is translated to Keras 3 (see `keras2-config.ts`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '../engine/layer.js';
import type { LayerVariable } from '../engine/layer-variable.js';
import { Model } from '../engine/model.js';
import { formatShape } from '../engine/naming.js';
import { ValueError } from '../errors/errors.js';
import type { H5Reader } from './h5.js';
import { keras2ModelToKeras3 } from './keras2-config.js';
import { type LoadModelOptions, modelFromKerasDict } from './keras-file.js';
import type { Config } from './registry.js';
import type { LoadWeightsOptions, LoadWeightsReport } from './weights-h5.js';

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return [value];
  return [];
}

/** Loads a Keras 2 full-model `.h5` (already opened as `reader`). */
export function loadKeras2Model(
  reader: H5Reader,
  file: string,
  options: LoadModelOptions = {},
): Model {
  const raw = reader.attr('', 'model_config');
  if (typeof raw !== 'string') {
    throw new ValueError(
      `${file}: HDF5 file without a 'model_config' attribute: it holds weights only, not a whole Keras 2 model. Fix: build the model and call model.loadWeights('${file}').`,
    );
  }
  let config: Config;
  try {
    config = JSON.parse(raw) as Config;
  } catch (error) {
    throw new ValueError(`${file}: the 'model_config' attribute is not valid JSON.`, {
      cause: error,
    });
  }
  const model = modelFromKerasDict(
    keras2ModelToKeras3(config) as Config,
    file,
    options.customObjects,
  );
  if (!(model instanceof Model))
    throw new ValueError(`${file}: model_config describes a ${model.className}, not a model.`);
  readKeras2Weights(model, reader, file);
  return model;
}

/** Layers of `model` that own weights, in topological (layer list) order, flattening nested models. */
function weightedLayers(model: Layer): Layer[] {
  const out: Layer[] = [];
  const layers = model instanceof Model ? model.layers : [model];
  for (const layer of layers) {
    if (layer instanceof Model) out.push(...weightedLayers(layer));
    else if (layer.weights.length > 0) out.push(layer);
  }
  return out;
}

/** Assigns the weights of a Keras 2 weights group (`model_weights`, or the root of a weights-only file). */
export function readKeras2Weights(
  model: Layer,
  reader: H5Reader,
  file: string,
  options: LoadWeightsOptions = {},
): LoadWeightsReport {
  const { byName = false, skipMismatch = false } = options;
  const root = reader.isGroup('model_weights') ? 'model_weights' : '';
  const join = (p: string) => (root ? `${root}/${p}` : p);
  const layerNames = stringList(reader.attr(root, 'layer_names'));
  const stored = layerNames
    .map((name) => ({ name, weights: stringList(reader.attr(join(name), 'weight_names')) }))
    .filter((l) => l.weights.length > 0);
  const targets = weightedLayers(model);
  const report: LoadWeightsReport = { loaded: [], skipped: [], optimizerLoaded: false };
  const pairs: [Layer, { name: string; weights: string[] }][] = [];
  if (byName) {
    const byLayer = new Map(stored.map((s) => [s.name, s]));
    for (const layer of targets) {
      const s = byLayer.get(layer.name);
      if (s) pairs.push([layer, s]);
      else
        report.skipped.push({
          path: layer.name,
          reason: `no layer named '${layer.name}' in the file`,
        });
    }
  } else {
    if (stored.length !== targets.length && !skipMismatch) {
      throw new ValueError(
        `${file}: the file has weights for ${stored.length} layers (${stored.map((s) => s.name).join(', ')}), the model has ${targets.length} layers with weights (${targets.map((l) => l.name).join(', ')}). Fix: load by name ({ byName: true }) or pass skipMismatch: true.`,
      );
    }
    targets.forEach((layer, i) => {
      const s = stored[i];
      if (s) pairs.push([layer, s]);
      else
        report.skipped.push({
          path: layer.name,
          reason: 'the file has no more layers with weights',
        });
    });
  }
  const pending: [LayerVariable, tf.Tensor][] = [];
  try {
    for (const [layer, s] of pairs) {
      const vars = layer.weights;
      const shapes = s.weights.map((w) => reader.shape(join(`${s.name}/${w}`)));
      let reason: string | null = null;
      if (shapes.length !== vars.length)
        reason = `expected ${vars.length} weights, the file's layer '${s.name}' has ${shapes.length}`;
      else {
        const bad = vars.findIndex((v, i) => !tf.util.arraysEqual(v.shape, shapes[i] as number[]));
        if (bad >= 0) {
          reason = `weight '${(vars[bad] as LayerVariable).path}' has shape ${formatShape((vars[bad] as LayerVariable).shape)}, the file's '${s.name}/${s.weights[bad]}' has shape ${formatShape(shapes[bad] as number[])}`;
        }
      }
      if (reason) {
        if (skipMismatch) {
          report.skipped.push({ path: layer.name, reason });
          continue;
        }
        throw new ValueError(`${file}: cannot load weights of ${layer.who}: ${reason}.`);
      }
      vars.forEach((v, i) => {
        pending.push([v, reader.tensor(join(`${s.name}/${s.weights[i]}`))]);
      });
      report.loaded.push(layer.name);
    }
    for (const [v, t] of pending) v.assign(t);
  } finally {
    tf.dispose(pending.map(([, t]) => t));
  }
  return report;
}
