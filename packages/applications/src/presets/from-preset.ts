import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Layer, Model, saving, ValueError } from '@cornu/core';
import { type DownloadPresetOptions, downloadPreset } from './download-preset.js';
import type { PresetSpec } from './preset-spec.js';

/** The files of a model preset, in KerasHub's layout. */
export const PRESET_CONFIG_FILE = 'config.json';
export const PRESET_WEIGHTS_FILE = 'model.weights.h5';
export const PRESET_METADATA_FILE = 'metadata.json';

export interface FromPresetOptions extends DownloadPresetOptions {
  /** Load `model.weights.h5` into the model; `false` gives the architecture with fresh weights. @default true */
  loadWeights?: boolean;
  /** Classes the registry does not know, for this load only (`{ MyLayer }`). */
  customObjects?: Parameters<typeof saving.modelFromConfig>[1];
}

/**
 * Builds a model from a preset (KerasHub's `from_preset`): downloads it if needed (see
 * `downloadPreset`), rebuilds the architecture from `config.json` through core's Keras registry and
 * loads `model.weights.h5`. `handle` is a registered preset name, a manifest URL, a spec or a
 * local preset folder.
 */
export async function fromPreset(
  handle: string | PresetSpec,
  options: FromPresetOptions = {},
): Promise<Model> {
  const { loadWeights = true, customObjects, ...download } = options;
  const folder = await downloadPreset(handle, download);
  const configPath = join(folder, PRESET_CONFIG_FILE);
  if (!existsSync(configPath)) {
    throw new ValueError(
      `fromPreset: the preset at ${folder} has no ${PRESET_CONFIG_FILE}; it is not a model preset.`,
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(await readFile(configPath, 'utf8'));
  } catch (error) {
    throw new ValueError(
      `fromPreset: ${configPath} is not valid JSON (${(error as Error).message}).`,
    );
  }
  const model = saving.modelFromConfig(
    config as Parameters<typeof saving.modelFromConfig>[0],
    customObjects,
    configPath,
  );
  if (!(model instanceof Model)) {
    throw new ValueError(
      `fromPreset: ${configPath} describes a ${model.constructor.name}, expected a Model (Sequential, Functional or a registered subclass).`,
    );
  }
  if (loadWeights) {
    const weightsPath = join(folder, PRESET_WEIGHTS_FILE);
    if (!existsSync(weightsPath)) {
      throw new ValueError(
        `fromPreset: the preset at ${folder} has no ${PRESET_WEIGHTS_FILE}. Pass { loadWeights: false } for the architecture alone.`,
      );
    }
    await saving.loadWeights(model, weightsPath);
  }
  return model;
}

/**
 * Writes `model` as a preset folder (KerasHub's `save_to_preset`): `config.json`,
 * `model.weights.h5` and `metadata.json`. The folder is assembled beside `dir` and renamed into
 * place, so an interrupted save never leaves a half-written preset. Publish it with
 * `createPresetSpec` + `presetManifest`.
 */
export async function savePreset(
  model: Layer,
  dir: string,
  options: { metadata?: Record<string, string | number | boolean>; overwrite?: boolean } = {},
): Promise<void> {
  if (existsSync(dir) && !options.overwrite) {
    throw new ValueError(
      `savePreset: '${dir}' already exists. Pass { overwrite: true } to replace it.`,
    );
  }
  const temp = `${dir}.saving-${process.pid}-${Date.now()}`;
  await mkdir(temp, { recursive: true });
  try {
    const config = saving.modelToConfig(model);
    await writeFile(join(temp, PRESET_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
    await saving.saveWeights(model, join(temp, PRESET_WEIGHTS_FILE));
    const metadata = {
      keras_version: saving.KERAS_VERSION,
      parameter_count: model.countParams(),
      date_saved: new Date().toISOString(),
      ...options.metadata,
    };
    await writeFile(join(temp, PRESET_METADATA_FILE), `${JSON.stringify(metadata, null, 2)}\n`);
    if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
