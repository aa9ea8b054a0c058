import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { NotFoundError, RuntimeError, utils, ValueError } from '@cornu/core';
import { getPreset } from './preset-registry.js';
import { type PresetFile, type PresetSpec, validatePresetSpec } from './preset-spec.js';

/** The manifest a preset folder carries (and a remote preset serves) as `preset.json`. */
export const PRESET_MANIFEST = 'preset.json';

export interface DownloadPresetOptions {
  /** Cache root; the preset lands in `<cacheDir>/presets/<name>/`. Defaults to `$CORNU_HOME` or `~/.cornu`. */
  cacheDir?: string;
  /** Fetch every file again even if a valid copy is cached. */
  forceDownload?: boolean;
}

async function fetchManifest(url: string): Promise<PresetSpec> {
  const base = url.endsWith('/') ? url : `${url}/`;
  const manifestUrl = new URL(PRESET_MANIFEST, base).href;
  let response: Response;
  try {
    response = await fetch(manifestUrl);
  } catch (cause) {
    throw new RuntimeError(
      `downloadPreset: could not reach ${manifestUrl}: ${(cause as Error).message}.`,
      {
        cause,
      },
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new RuntimeError(
      `downloadPreset: HTTP ${response.status} for ${manifestUrl}. Expected a preset manifest (${PRESET_MANIFEST}).`,
    );
  }
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    throw new ValueError(`downloadPreset: ${manifestUrl} is not valid JSON.`);
  }
  // The manifest names the files; the files themselves are checked against its hashes. Its own
  // origin field is ignored: files come from where the manifest came from.
  return validatePresetSpec(
    { ...(parsed as PresetSpec), origin: base },
    `downloadPreset (${manifestUrl})`,
  );
}

/** Turns a handle (registered name, http(s) URL of a preset folder, or a spec) into a spec. */
export async function resolvePresetSpec(handle: string | PresetSpec): Promise<PresetSpec> {
  if (typeof handle !== 'string') return validatePresetSpec(handle, 'downloadPreset');
  if (/^https?:\/\//.test(handle)) return fetchManifest(handle);
  return getPreset(handle);
}

/**
 * Makes a preset available locally and returns its folder (KerasHub's `load_preset` step).
 *
 * `handle` is a registered preset name, the http(s) URL of a folder serving `preset.json`, a
 * `PresetSpec`, or a local preset folder (returned as is). Each file goes through core's
 * `utils.getFile`: cached under `<cacheDir>/presets/<name>/`, sha256-checked, written atomically
 * and resumed after an interruption. The folder's `preset.json` is written last, so a folder that
 * has it is complete.
 */
export async function downloadPreset(
  handle: string | PresetSpec,
  options: DownloadPresetOptions = {},
): Promise<string> {
  if (typeof handle === 'string' && !/^https?:\/\//.test(handle) && existsSync(handle)) {
    if (!statSync(handle).isDirectory()) {
      throw new ValueError(
        `downloadPreset: '${handle}' is a file; expected a preset folder, name or URL.`,
      );
    }
    return resolve(handle);
  }
  if (typeof handle !== 'string' && typeof handle !== 'object') {
    throw new ValueError(
      `downloadPreset: handle must be a preset name, URL, folder or PresetSpec. Received: ${String(handle)}.`,
    );
  }
  const spec = await resolvePresetSpec(handle);
  const cacheDir = options.cacheDir ?? utils.cornuHome();
  const folder = join(cacheDir, 'presets', spec.name);
  for (const file of spec.files) {
    await utils.getFile(file.path, new URL(file.path, spec.origin).href, {
      fileHash: file.sha256,
      hashAlgorithm: 'sha256',
      cacheDir,
      cacheSubdir: join('presets', spec.name),
      forceDownload: options.forceDownload,
    });
  }
  const manifest = join(folder, PRESET_MANIFEST);
  await writeFile(`${manifest}.tmp`, `${JSON.stringify(presetManifest(spec), null, 2)}\n`);
  await rename(`${manifest}.tmp`, manifest);
  return folder;
}

/** The JSON a preset folder publishes as `preset.json` (its origin is where it is served from). */
export function presetManifest(spec: PresetSpec): Omit<PresetSpec, 'origin'> {
  const { origin: _origin, ...rest } = spec;
  return rest;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => p !== PRESET_MANIFEST)
    .sort();
}

/**
 * Hashes every file of a local preset folder and returns its spec, ready to publish: serve the
 * folder and `presetManifest(spec)` as its `preset.json`, or `registerPreset(spec)`.
 */
export async function createPresetSpec(
  dir: string,
  args: Omit<PresetSpec, 'files'>,
): Promise<PresetSpec> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new NotFoundError(`createPresetSpec: '${dir}' is not a folder.`);
  }
  const files: PresetFile[] = [];
  for (const path of await listFiles(dir)) {
    const bytes = await readFile(join(dir, path));
    files.push({
      path,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size: bytes.length,
    });
  }
  return validatePresetSpec({ ...args, files }, 'createPresetSpec');
}
