/**
 * @cornu/applications: the pretrained weight zoo - preset registry, download with cache and hash
 * check. Explicit named exports only.
 */
export {
  createPresetSpec,
  type DownloadPresetOptions,
  downloadPreset,
  PRESET_MANIFEST,
  presetManifest,
  resolvePresetSpec,
} from './presets/download-preset.js';
export {
  type FromPresetOptions,
  fromPreset,
  PRESET_CONFIG_FILE,
  PRESET_METADATA_FILE,
  PRESET_WEIGHTS_FILE,
  savePreset,
} from './presets/from-preset.js';
export {
  getPreset,
  listPresets,
  registerPreset,
  unregisterPreset,
} from './presets/preset-registry.js';
export {
  checkPresetFilePath,
  type PresetFile,
  type PresetSpec,
  validatePresetSpec,
} from './presets/preset-spec.js';
