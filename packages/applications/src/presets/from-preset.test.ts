import { readFile, rm, mkdtemp, writeFile, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { backend, layers, Sequential, tf } from '@cornu/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPresetSpec, PRESET_MANIFEST, presetManifest } from './download-preset.js';
import { fromPreset, savePreset } from './from-preset.js';

let root: string;
let server: Server;
let base: string;
const served = new Map<string, Uint8Array>();

beforeAll(async () => {
  await backend.ready();
  root = await mkdtemp(join(tmpdir(), 'cornu-from-preset-'));
  server = createServer((req, res) => {
    const body = served.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'Content-Length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(root, { recursive: true, force: true });
});

describe('savePreset / fromPreset', () => {
  it('round-trips a model through a published preset: same predictions after download', async () => {
    const model = new Sequential({
      layers: [
        new layers.Dense({ units: 8, activation: 'relu', inputShape: [4] }),
        new layers.Dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const x = tf.tensor2d([
      [0.1, -0.2, 0.3, 0.4],
      [1, 2, -3, 0.5],
    ]);
    const expected = (await model.predict(x)) as tf.Tensor;
    const dir = join(root, 'mlp_preset');
    await savePreset(model, dir, { metadata: { license: 'Apache-2.0' } });
    expect((await readdir(dir)).sort()).toEqual([
      'config.json',
      'metadata.json',
      'model.weights.h5',
    ]);
    const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
    expect(metadata.parameter_count).toBe(4 * 8 + 8 + 8 * 3 + 3);
    expect(metadata.license).toBe('Apache-2.0');
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')).class_name).toBe(
      'Sequential',
    );

    const spec = await createPresetSpec(dir, {
      name: 'mlp_preset',
      description: 'test',
      origin: `${base}/mlp/`,
    });
    for (const f of spec.files)
      served.set(`/mlp/${f.path}`, new Uint8Array(await readFile(join(dir, f.path))));
    served.set(
      `/mlp/${PRESET_MANIFEST}`,
      new TextEncoder().encode(JSON.stringify(presetManifest(spec))),
    );

    const loaded = await fromPreset(`${base}/mlp/`, { cacheDir: join(root, 'cache') });
    const got = (await loaded.predict(x)) as tf.Tensor;
    expect(Array.from(got.dataSync())).toEqual(Array.from(expected.dataSync()));
    const fresh = await fromPreset(dir, { loadWeights: false });
    const other = (await fresh.predict(x)) as tf.Tensor;
    expect(Array.from(other.dataSync())).not.toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, expected, got, other]);
    for (const m of [model, loaded, fresh]) m.dispose();
  });

  it('refuses to overwrite a folder, and names what a folder lacks', async () => {
    const dir = join(root, 'partial');
    const model = new Sequential({ layers: [new layers.Dense({ units: 2, inputShape: [3] })] });
    await savePreset(model, dir);
    await expect(savePreset(model, dir)).rejects.toThrow(
      /already exists. Pass \{ overwrite: true \}/,
    );
    await savePreset(model, dir, { overwrite: true });
    await rm(join(dir, 'model.weights.h5'));
    await expect(fromPreset(dir)).rejects.toThrow(
      /has no model.weights.h5. Pass \{ loadWeights: false \}/,
    );
    await rm(join(dir, 'config.json'));
    await expect(fromPreset(dir)).rejects.toThrow(/has no config.json; it is not a model preset/);
    await writeFile(join(dir, 'config.json'), '{ not json');
    await expect(fromPreset(dir)).rejects.toThrow(/config.json is not valid JSON/);
    expect(relative(root, dir)).toBe('partial');
    model.dispose();
  });
});
