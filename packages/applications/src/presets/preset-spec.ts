import { ValueError } from '@cornu/core';

/** One file of a preset: where it lives in the preset folder and what its bytes hash to. */
export interface PresetFile {
  /** Path inside the preset folder, `/`-separated, e.g. `config.json` or `assets/vocab.txt`. */
  path: string;
  /** sha256 of the file, 64 lowercase hex digits. Every download is checked against it. */
  sha256: string;
  /** Size in bytes, when known (shown by `listPresets`; not trusted for integrity). */
  size?: number;
}

/**
 * A named, versioned set of files that makes a pretrained model (or tokenizer, or preprocessor):
 * Keras 3 / KerasHub's preset layout - `config.json`, `metadata.json`, `model.weights.h5`,
 * `tokenizer.json`, `assets/...` - each file fetched from `origin` and checked by sha256.
 */
export interface PresetSpec {
  /** Registry key: lowercase letters, digits, `_`, `-` and `.`, e.g. `digits_convnet_v1`. */
  name: string;
  /** One line for listings. */
  description: string;
  /** Base URL the files are fetched from: `<origin>/<file.path>`. */
  origin: string;
  files: PresetFile[];
  /** Free-form facts shown in listings: parameter count, training data, license, paper. */
  metadata?: Record<string, string | number | boolean>;
}

const NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Rejects a file path that could escape the preset folder once joined to it. */
export function checkPresetFilePath(path: string, where: string): void {
  const parts = path.split('/');
  const bad =
    path.length === 0 ||
    path.startsWith('/') ||
    path.includes('\\') ||
    /^[a-zA-Z]:/.test(path) ||
    parts.some((p) => p === '' || p === '.' || p === '..');
  if (bad) {
    throw new ValueError(
      `${where}: file path must be relative, '/'-separated, without '.' or '..' segments. Received: '${path}'.`,
    );
  }
}

/** Validates a spec and returns a normalised copy (lowercase hashes, origin with a trailing '/'). */
export function validatePresetSpec(spec: PresetSpec, where = 'registerPreset'): PresetSpec {
  if (typeof spec !== 'object' || spec === null) {
    throw new ValueError(`${where}: expected a PresetSpec object. Received: ${String(spec)}.`);
  }
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) {
    throw new ValueError(
      `${where}: name must match ${NAME} (lowercase letters, digits, '_', '-', '.'). Received: '${String(spec.name)}'.`,
    );
  }
  let origin: URL;
  try {
    origin = new URL(spec.origin);
  } catch {
    throw new ValueError(
      `${where}: origin of preset '${spec.name}' must be an http(s) URL. Received: '${String(spec.origin)}'.`,
    );
  }
  if (!['http:', 'https:'].includes(origin.protocol)) {
    throw new ValueError(
      `${where}: origin of preset '${spec.name}' must use http or https. Received: '${origin.protocol}'.`,
    );
  }
  if (!Array.isArray(spec.files) || spec.files.length === 0) {
    throw new ValueError(`${where}: preset '${spec.name}' must list at least one file.`);
  }
  const seen = new Set<string>();
  const files = spec.files.map((file) => {
    checkPresetFilePath(file.path, `${where} ('${spec.name}')`);
    if (seen.has(file.path)) {
      throw new ValueError(`${where}: preset '${spec.name}' lists '${file.path}' twice.`);
    }
    seen.add(file.path);
    const sha256 = String(file.sha256).toLowerCase();
    if (!SHA256.test(sha256)) {
      throw new ValueError(
        `${where}: sha256 of '${file.path}' in preset '${spec.name}' must be 64 hex digits. Received: '${String(file.sha256)}'.`,
      );
    }
    return { ...file, sha256 };
  });
  const base = origin.href.endsWith('/') ? origin.href : `${origin.href}/`;
  return { ...spec, origin: base, files, description: String(spec.description ?? '') };
}
