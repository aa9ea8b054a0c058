/**
 * `saveModel` / `loadModel`: one entry point for every model format Cornu reads and writes.
 */
import { readFile } from 'node:fs/promises';
import type { Layer } from '../engine/layer.js';
import type { Model } from '../engine/model.js';
import { ValueError } from '../errors/errors.js';
import { isHdf5, readH5 } from './h5.js';
import {
  type LoadModelOptions,
  loadKerasArchive,
  type SaveModelOptions,
  saveKerasFile,
} from './keras-file.js';
import { isZip } from './zip-archive.js';

/**
 * Saves `model`: a Keras 3 `.keras` archive (default), or with `{ format: 'tfjs' }` a TF.js
 * layers-model folder (`model.json` + `weights.bin`) that `tf.loadLayersModel` reads.
 */
export async function saveModel(
  model: Layer,
  path: string,
  options: SaveModelOptions = {},
): Promise<void> {
  const { format = 'keras', includeOptimizer = true } = options;
  if (format === 'tfjs') {
    const { saveTfjsModel } = await import('./tfjs-format.js');
    await saveTfjsModel(model, path);
    return;
  }
  if (format !== 'keras')
    throw new ValueError(
      `saveModel: format must be 'keras' or 'tfjs', received ${JSON.stringify(format)}.`,
    );
  if (!path.endsWith('.keras')) {
    throw new ValueError(
      `saveModel: a Keras 3 archive path must end in '.keras', received '${path}'. Fix: use 'model.keras', or { format: 'tfjs' } for a folder.`,
    );
  }
  await saveKerasFile(model, path, includeOptimizer);
}

/**
 * Loads a model saved by Cornu, Keras 3 (`.keras`), Keras 2 (full-model `.h5`) or TF.js
 * (`model.json` with its weight files). The format is recognised from the file's bytes.
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<Model> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ValueError(
      `loadModel: cannot read '${path}' (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
      { cause: error },
    );
  }
  if (isZip(bytes)) return (await loadKerasArchive(bytes, path, options)) as Model;
  if (isHdf5(bytes)) {
    const { loadKeras2Model } = await import('./keras2-h5.js');
    return readH5(bytes, path, (reader) =>
      loadKeras2Model(reader, path, options),
    ) as Promise<Model>;
  }
  if (path.endsWith('.json')) {
    const { loadTfjsModel } = await import('./tfjs-format.js');
    return (await loadTfjsModel(bytes, path, options)) as Model;
  }
  const head = Array.from(bytes.slice(0, 8));
  throw new ValueError(
    `${path}: unrecognised model file (first bytes ${JSON.stringify(head)}). Expected a .keras zip (PK\\x03\\x04), a Keras 2 HDF5 file (\\x89HDF) or a TF.js model.json.`,
  );
}
