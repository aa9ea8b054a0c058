/**
 * Keras 3 `.keras` archives (a zip of `config.json`, `metadata.json`, `model.weights.h5`) and
 * `.weights.h5` files: `saveKerasFile`, `loadKerasArchive`, `saveWeights`, `loadWeights`.
 */
import { readFile } from 'node:fs/promises';
import type { Layer } from '../engine/layer.js';
import { Model } from '../engine/model.js';
import '../engine/sequential.js';
import '../layers/index.js';
import { CornuError, NotFoundError, ValueError } from '../errors/errors.js';
import { atomicWrite } from './atomic-write.js';
import { compileArgsFromConfig, getCompileConfig } from './compile-config.js';
import {
  joinPositionalTensors,
  liftOperationArgs,
  lowerOperationArgs,
  splitQueryValueTensors,
} from './keras-ops.js';
import { isHdf5, readH5, writeH5 } from './h5.js';
import {
  type Config,
  deserializeKerasObject,
  type KerasObjectDict,
  type SerializableClass,
  serializeKerasObject,
} from './registry.js';
import {
  type LoadWeightsOptions,
  type LoadWeightsReport,
  readModelWeights,
  writeModelWeights,
} from './weights-h5.js';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES, readZip, writeZip } from './zip-archive.js';

/** The Keras version whose `.keras` layout Cornu writes (recorded in `metadata.json`). */
export const KERAS_VERSION = '3.16.0';

/** Options of loading a whole model. */
export interface LoadModelOptions {
  /** Classes for names the registry does not know, for this load only (`{ MyLayer }`). */
  customObjects?: Record<string, SerializableClass>;
  /** Compile the model with its saved `compile_config` (and restore the optimizer state). @default true */
  compile?: boolean;
  /** Refuse archives that decompress past this many bytes. @default 4 GiB */
  maxUncompressedBytes?: number;
}

/** Options of `saveModel`. */
export interface SaveModelOptions {
  /** `'keras'` writes a Keras 3 `.keras` archive; `'tfjs'` a TF.js layers model folder. @default 'keras' */
  format?: 'keras' | 'tfjs';
  /** Save the optimizer's state with the weights. @default true */
  includeOptimizer?: boolean;
}

function dateSaved(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const encoder = new TextEncoder();

/** The `config.json` dict of a model: its Keras object dict plus `compile_config`. */
export function modelToKerasDict(model: Layer): KerasObjectDict {
  const dict = serializeKerasObject(model);
  if (
    dict.build_config === undefined &&
    model instanceof Model &&
    model.isGraphNetwork &&
    model.inputs.length > 0
  ) {
    const shapes = model.inputs.map((t) => t.shape);
    dict.build_config = { input_shape: (shapes.length === 1 ? shapes[0] : shapes) as Config['x'] };
  }
  if (model instanceof Model) dict.compile_config = getCompileConfig(model) ?? {};
  return splitQueryValueTensors(
    lowerOperationArgs(dict as unknown as Config),
  ) as unknown as KerasObjectDict;
}

/** Writes `model` as a Keras 3 `.keras` archive at `path` (atomically). */
export async function saveKerasFile(
  model: Layer,
  path: string,
  includeOptimizer = true,
): Promise<void> {
  const config = JSON.stringify(modelToKerasDict(model));
  const metadata = JSON.stringify({ keras_version: KERAS_VERSION, date_saved: dateSaved() });
  const weights = await writeH5((w) => writeModelWeights(model, w, includeOptimizer));
  const zip = writeZip({
    'metadata.json': encoder.encode(metadata),
    'config.json': encoder.encode(config),
    'model.weights.h5': weights,
  });
  await atomicWrite(path, () => zip);
}

function parseJsonEntry(entries: Map<string, Uint8Array>, name: string, file: string): Config {
  const bytes = entries.get(name);
  if (!bytes) {
    throw new ValueError(
      `${file}: the archive has no '${name}' (entries: ${[...entries.keys()].join(', ') || 'none'}); expected a Keras 3 .keras file.`,
    );
  }
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new Error('not a JSON object');
    return value as Config;
  } catch (error) {
    throw new ValueError(
      `${file}: '${name}' is not valid JSON (${error instanceof Error ? error.message : String(error)}).`,
      { cause: error },
    );
  }
}

/** Rebuilds a model from its Keras object dict; registry errors are prefixed with `file`. */
export function modelFromKerasDict(
  dict: Config,
  file: string,
  customObjects: Record<string, SerializableClass> = {},
): Layer {
  try {
    return deserializeKerasObject<Layer>(
      joinPositionalTensors(liftOperationArgs(dict)) as unknown as KerasObjectDict,
      customObjects,
    );
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new NotFoundError(`${file}: ${error.message}`, { cause: error });
    if (error instanceof CornuError)
      throw new ValueError(`${file}: cannot rebuild the model from config.json: ${error.message}`, {
        cause: error,
      });
    throw new ValueError(
      `${file}: cannot rebuild the model from config.json: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Loads a Keras 3 archive already read into `bytes`. */
export async function loadKerasArchive(
  bytes: Uint8Array,
  file: string,
  options: LoadModelOptions = {},
): Promise<Layer> {
  const {
    customObjects = {},
    compile = true,
    maxUncompressedBytes = DEFAULT_MAX_UNCOMPRESSED_BYTES,
  } = options;
  const entries = readZip(bytes, file, maxUncompressedBytes);
  const config = parseJsonEntry(entries, 'config.json', file);
  if (entries.has('metadata.json')) parseJsonEntry(entries, 'metadata.json', file);
  const model = modelFromKerasDict(config, file, customObjects);
  const compileConfig = config.compile_config as Config | null | undefined;
  if (
    compile &&
    model instanceof Model &&
    compileConfig &&
    Object.keys(compileConfig).length > 0 &&
    compileConfig.optimizer
  ) {
    model.compile(compileArgsFromConfig(compileConfig));
  }
  const weights = entries.get('model.weights.h5');
  if (!weights) throw new ValueError(`${file}: the archive has no 'model.weights.h5'.`);
  await readH5(weights, `${file} (model.weights.h5)`, (reader) =>
    readModelWeights(model, reader, `${file} (model.weights.h5)`),
  );
  return model;
}

/** Writes the model's variables as a Keras 3 `.weights.h5` file (atomically). */
export async function saveWeights(model: Layer, path: string): Promise<void> {
  if (!path.endsWith('.weights.h5')) {
    throw new ValueError(
      `saveWeights: the file name must end in '.weights.h5' (Keras 3), received '${path}'.`,
    );
  }
  const bytes = await writeH5((w) => writeModelWeights(model, w, true));
  await atomicWrite(path, () => bytes);
}

/**
 * Loads weights into `model` from a Keras 3 `.weights.h5` file, a `.keras` archive's weights, or
 * a Keras 2 `.h5` file (by topological order or by name). Returns what was loaded and skipped.
 */
export async function loadWeights(
  model: Layer,
  path: string,
  options: LoadWeightsOptions & { maxUncompressedBytes?: number } = {},
): Promise<LoadWeightsReport> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ValueError(
      `loadWeights: cannot read '${path}' (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      { cause: error },
    );
  }
  let h5Bytes = bytes;
  let label = path;
  if (!isHdf5(bytes)) {
    const entries = readZip(bytes, path, options.maxUncompressedBytes);
    const inner = entries.get('model.weights.h5');
    if (!inner)
      throw new ValueError(
        `${path}: expected an HDF5 weights file or a .keras archive; the archive has no 'model.weights.h5'.`,
      );
    h5Bytes = inner;
    label = `${path} (model.weights.h5)`;
  }
  return readH5(h5Bytes, label, async (reader) => {
    if (
      reader.attr('', 'keras_version') !== undefined ||
      reader.isGroup('model_weights') ||
      reader.attr('', 'layer_names') !== undefined
    ) {
      const { readKeras2Weights } = await import('./keras2-h5.js');
      return readKeras2Weights(model, reader, label, options);
    }
    return readModelWeights(model, reader, label, options);
  });
}
