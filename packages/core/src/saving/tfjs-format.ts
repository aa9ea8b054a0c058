/**
 * TF.js layers models: `model.json` (`modelTopology` in the Keras 2 config dialect +
 * `weightsManifest`) with binary weight shards. Loading translates the topology through
 * `keras2-config.ts`; saving writes `model.json` + `weights.bin` that `tf.loadLayersModel` reads.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '../engine/layer.js';
import type { LayerVariable } from '../engine/layer-variable.js';
import { Model } from '../engine/model.js';
import { formatShape } from '../engine/naming.js';
import { ValueError } from '../errors/errors.js';
import { atomicWrite } from './atomic-write.js';
import { keras2ModelToKeras3, keras3ModelToKeras2 } from './keras2-config.js';
import { type LoadModelOptions, modelFromKerasDict, modelToKerasDict } from './keras-file.js';
import type { Config } from './registry.js';

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  quantization?: unknown;
}
interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** Loads a TF.js layers model from its `model.json` bytes (weight files resolved beside it). */
export async function loadTfjsModel(
  bytes: Uint8Array,
  file: string,
  options: LoadModelOptions = {},
): Promise<Layer> {
  let json: { modelTopology?: Config; weightsManifest?: ManifestGroup[]; format?: string };
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ValueError(
      `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
      { cause: error },
    );
  }
  const topology = json.modelTopology;
  if (!topology || typeof topology !== 'object') {
    throw new ValueError(
      `${file}: no 'modelTopology' (expected a TF.js layers model; graph models are not supported).`,
    );
  }
  const modelDict = ((topology as Config).model_config ?? topology) as Config;
  const model = modelFromKerasDict(keras2ModelToKeras3(modelDict), file, options.customObjects);
  const dir = resolve(dirname(file));
  const values = new Map<string, tf.Tensor>();
  try {
    for (const group of json.weightsManifest ?? []) {
      const chunks: Uint8Array[] = [];
      for (const p of group.paths) {
        const target = resolve(dir, p);
        if (!target.startsWith(dir + sep))
          throw new ValueError(
            `${file}: weight path '${p}' points outside the model folder; refusing it.`,
          );
        try {
          chunks.push(await readFile(target));
        } catch (error) {
          throw new ValueError(
            `${file}: cannot read weight file '${p}' (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
            { cause: error },
          );
        }
      }
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const buffer = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        buffer.set(c, at);
        at += c.length;
      }
      let offset = 0;
      for (const spec of group.weights) {
        if (spec.quantization)
          throw new ValueError(`${file}: quantized weight '${spec.name}' is not supported.`);
        const size = spec.shape.reduce((a, b) => a * b, 1);
        const bytesNeeded = size * 4;
        if (offset + bytesNeeded > buffer.length) {
          throw new ValueError(
            `${file}: weight files are truncated: '${spec.name}' needs bytes ${offset}..${offset + bytesNeeded}, the files hold ${buffer.length}.`,
          );
        }
        const slice = buffer.slice(offset, offset + bytesNeeded).buffer;
        const data =
          spec.dtype === 'int32'
            ? new Int32Array(slice)
            : spec.dtype === 'bool'
              ? Uint8Array.from(new Uint8Array(slice))
              : new Float32Array(slice);
        values.set(
          spec.name,
          tf.tensor(data, spec.shape, spec.dtype === 'bool' ? 'bool' : spec.dtype),
        );
        offset += bytesNeeded;
      }
    }
    assignByLayerOrder(model, values, file);
  } finally {
    tf.dispose([...values.values()]);
  }
  return model;
}

/** Layers with weights, nested models flattened. */
function weightedLayers(model: Layer): Layer[] {
  const out: Layer[] = [];
  for (const layer of model instanceof Model ? model.layers : [model]) {
    if (layer instanceof Model) out.push(...weightedLayers(layer));
    else if (layer.weights.length > 0) out.push(layer);
  }
  return out;
}

/** TF.js names weights `<layer>/<weight>`; nested cells put the layer name first too. */
function assignByLayerOrder(model: Layer, values: Map<string, tf.Tensor>, file: string): void {
  const names = [...values.keys()];
  const pending: [LayerVariable, tf.Tensor][] = [];
  for (const layer of weightedLayers(model)) {
    const mine = names.filter((n) => n.startsWith(`${layer.name}/`));
    const vars = layer.weights;
    if (mine.length !== vars.length) {
      throw new ValueError(
        `${file}: ${layer.who} has ${vars.length} weights, the manifest lists ${mine.length} under '${layer.name}/' (${mine.join(', ') || 'none'}).`,
      );
    }
    vars.forEach((v, i) => {
      const t = values.get(mine[i] as string) as tf.Tensor;
      if (!tf.util.arraysEqual(t.shape, v.shape)) {
        throw new ValueError(
          `${file}: weight '${mine[i]}' has shape ${formatShape(t.shape)}, ${layer.who} expects ${formatShape(v.shape)} for '${v.name}'.`,
        );
      }
      pending.push([v, t]);
    });
  }
  for (const [v, t] of pending) v.assign(t);
}

/** Writes `model` as a TF.js layers model: `<dir>/model.json` and `<dir>/weights.bin`. */
export async function saveTfjsModel(model: Layer, dir: string): Promise<void> {
  const dict = modelToKerasDict(model);
  delete dict.compile_config;
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  const seen = new Set<LayerVariable>();
  for (const layer of weightedLayers(model)) {
    for (const v of layer.weights) {
      if (seen.has(v)) continue;
      seen.add(v);
      const data = v.read().dataSync();
      const copy = v.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
      chunks.push(new Uint8Array(copy.buffer));
      specs.push({
        name: `${layer.name}/${v.name}`,
        shape: v.shape,
        dtype: v.dtype === 'int32' ? 'int32' : 'float32',
      });
    }
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'cornu',
    convertedBy: null,
    modelTopology: {
      ...keras3ModelToKeras2(dict as unknown as Config),
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: ['./weights.bin'], weights: specs }],
  };
  await atomicWrite(join(dir, 'weights.bin'), async (write) => {
    for (const c of chunks) await write(c);
    return undefined;
  });
  await atomicWrite(join(dir, 'model.json'), () =>
    new TextEncoder().encode(JSON.stringify(modelJson)),
  );
}
