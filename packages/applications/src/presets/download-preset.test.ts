import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPresetSpec,
  downloadPreset,
  PRESET_MANIFEST,
  presetManifest,
} from './download-preset.js';
import { listPresets, registerPreset, unregisterPreset } from './preset-registry.js';
import type { PresetSpec } from './preset-spec.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

let root: string;
let presetDir: string;
let server: Server;
let base: string;
let served: Map<string, Uint8Array>;
let requests: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cornu-presets-'));
  presetDir = join(root, 'published');
  await mkdir(join(presetDir, 'assets'), { recursive: true });
  await writeFile(join(presetDir, 'config.json'), JSON.stringify({ class_name: 'Sequential' }));
  await writeFile(
    join(presetDir, 'model.weights.h5'),
    new Uint8Array(4096).map((_, i) => (i * 7) % 251),
  );
  await writeFile(join(presetDir, 'assets', 'vocab.txt'), '[PAD]\n[UNK]\nhello\n');
  served = new Map();
  requests = [];
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const body = served.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(root, { recursive: true, force: true });
});

async function publish(prefix: string): Promise<PresetSpec> {
  const spec = await createPresetSpec(presetDir, {
    name: 'tiny_digits',
    description: 'a tiny test preset',
    origin: `${base}${prefix}`,
  });
  for (const file of spec.files) {
    served.set(`${prefix}${file.path}`, new Uint8Array(await readFile(join(presetDir, file.path))));
  }
  served.set(
    `${prefix}${PRESET_MANIFEST}`,
    new TextEncoder().encode(JSON.stringify(presetManifest(spec))),
  );
  return spec;
}

describe('downloadPreset', () => {
  beforeEach(() => {
    requests.length = 0;
    for (const p of listPresets()) unregisterPreset(p.name);
  });

  it('hashes a local folder into a spec: every file, sorted, with sha256 and size', async () => {
    const spec = await createPresetSpec(presetDir, {
      name: 'x',
      description: '',
      origin: 'https://h/p',
    });
    expect(spec.files.map((f) => f.path)).toEqual([
      'assets/vocab.txt',
      'config.json',
      'model.weights.h5',
    ]);
    expect(spec.files[0]?.sha256).toBe(sha('[PAD]\n[UNK]\nhello\n'));
    expect(spec.files[0]?.size).toBe(18);
    expect(spec.origin).toBe('https://h/p/');
  });

  it('downloads a preset served over HTTP into the cache, byte for byte, and reuses the cache', async () => {
    await publish('/remote/');
    const cacheDir = join(root, 'cache-url');
    const folder = await downloadPreset(`${base}/remote`, { cacheDir });
    expect(folder).toBe(join(cacheDir, 'presets', 'tiny_digits'));
    for (const path of ['config.json', 'model.weights.h5', 'assets/vocab.txt']) {
      expect(sha(await readFile(join(folder, path)))).toBe(
        sha(await readFile(join(presetDir, path))),
      );
    }
    expect(JSON.parse(await readFile(join(folder, PRESET_MANIFEST), 'utf8')).name).toBe(
      'tiny_digits',
    );
    expect(requests.filter((r) => r !== `/remote/${PRESET_MANIFEST}`)).toHaveLength(3);
    requests.length = 0;
    await downloadPreset(`${base}/remote/`, { cacheDir });
    expect(requests).toEqual([`/remote/${PRESET_MANIFEST}`]); // files came from the cache
  });

  it('downloads a registered preset by name and re-fetches with forceDownload', async () => {
    registerPreset(await publish('/byname/'));
    const cacheDir = join(root, 'cache-name');
    const folder = await downloadPreset('tiny_digits', { cacheDir });
    expect(existsSync(join(folder, 'assets', 'vocab.txt'))).toBe(true);
    expect(requests).toHaveLength(3);
    await downloadPreset('tiny_digits', { cacheDir, forceDownload: true });
    expect(requests).toHaveLength(6);
  });

  it('rejects a file whose bytes do not match the hash and leaves nothing under its name', async () => {
    const spec = await publish('/corrupt/');
    served.set('/corrupt/model.weights.h5', new Uint8Array(4096)); // different bytes
    const cacheDir = join(root, 'cache-corrupt');
    await expect(downloadPreset(spec, { cacheDir })).rejects.toThrow(/sha256 .* expected/);
    const folder = join(cacheDir, 'presets', 'tiny_digits');
    expect(existsSync(join(folder, 'model.weights.h5'))).toBe(false);
    expect(existsSync(join(folder, PRESET_MANIFEST))).toBe(false);
  });

  it('returns a local preset folder as is', async () => {
    expect(await downloadPreset(presetDir)).toBe(presetDir);
    await expect(downloadPreset(join(presetDir, 'config.json'))).rejects.toThrow(/is a file/);
  });

  it('names the registered presets when a name is unknown, and reports a missing manifest', async () => {
    registerPreset(await publish('/known/'));
    await expect(downloadPreset('nope')).rejects.toThrow(
      "no preset named 'nope'. Registered presets: tiny_digits.",
    );
    await expect(downloadPreset(`${base}/missing/`)).rejects.toThrow(/HTTP 404 .*preset\.json/);
  });

  it('refuses manifests whose file paths escape the preset folder', async () => {
    served.set(
      '/evil/preset.json',
      new TextEncoder().encode(
        JSON.stringify({
          name: 'evil',
          description: '',
          files: [{ path: '../../x', sha256: sha('x') }],
        }),
      ),
    );
    const cacheDir = join(root, 'cache-evil');
    await expect(downloadPreset(`${base}/evil/`, { cacheDir })).rejects.toThrow(
      /without '\.' or '\.\.' segments. Received: '\.\.\/\.\.\/x'/,
    );
    expect(existsSync(join(cacheDir, 'x'))).toBe(false);
  });
});
