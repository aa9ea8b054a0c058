/**
 * Bad files give clear errors naming the file and the problem (never a crash inside a library,
 * never a file written outside the target); saves are atomic.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import { Sequential } from '../engine/sequential.js';
import { NotFoundError, ValueError } from '../errors/errors.js';
import * as layers from '../layers/index.js';
import { atomicWrite } from './atomic-write.js';
import { fixture, tempDir } from './fixture-helpers.test-helper.js';
import { loadModel, saveModel } from './load-model.js';
import type { Config } from './registry.js';

beforeAll(async () => {
  await ready();
});

const goodArchive = () => readFileSync(fixture('keras3', 'sequential_mlp.keras'));
const enc = (s: string) => new TextEncoder().encode(s);

function write(bytes: Uint8Array, name: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, bytes);
  return path;
}

function tinyModel(units = 3): Sequential {
  return new Sequential([
    new layers.Dense({ units: 4, inputShape: [2], name: 'trunk' }),
    new layers.Dense({ units, name: 'head' }),
  ]);
}

describe('bad input', () => {
  it('a truncated archive names the file and says truncated or corrupted', async () => {
    const bytes = goodArchive();
    const path = write(bytes.subarray(0, Math.floor(bytes.length / 2)), 'truncated.keras');
    await expect(loadModel(path)).rejects.toThrow(
      new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*(truncated or corrupted)`),
    );
  });

  it('a corrupted weights member is reported, not a crash inside h5wasm or fflate', async () => {
    // A real config with garbage weights: the HDF5 signature, then noise.
    const real = unzipSync(goodArchive());
    const entries: Record<string, Uint8Array> = {
      'config.json': real['config.json'] as Uint8Array,
      'metadata.json': real['metadata.json'] as Uint8Array,
    };
    const h5 = (real['model.weights.h5'] as Uint8Array).slice();
    for (let i = 64; i < h5.length; i += 7) h5[i] = (h5[i] as number) ^ 0xa5;
    entries['model.weights.h5'] = h5;
    const path = write(zipSync(entries), 'corrupt.keras');
    const error = await loadModel(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValueError);
    expect((error as Error).message).toContain(path);
  });

  it('wrong magic bytes are named', async () => {
    const path = write(enc('hello, not a model'), 'model.keras');
    await expect(loadModel(path)).rejects.toThrow(
      /unrecognised model file \(first bytes \[104,101,108/,
    );
  });

  it('zip entries with .. or absolute paths are refused and nothing is written outside', async () => {
    const dir = tempDir();
    for (const name of ['../evil.txt', '/tmp/evil-absolute.txt', 'a/../../evil.txt']) {
      const path = join(dir, 'evil.keras');
      writeFileSync(path, zipSync({ 'config.json': enc('{}'), [name]: enc('pwned') }));
      await expect(loadModel(path)).rejects.toThrow(/unsafe path/);
    }
    expect(existsSync(join(dir, '..', 'evil.txt'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['evil.keras']);
  });

  it('an archive that decompresses past the size limit is refused before inflating', async () => {
    const path = write(
      zipSync({ 'config.json': enc('{}'), 'model.weights.h5': new Uint8Array(2_000_000) }),
      'bomb.keras',
    );
    await expect(loadModel(path, { maxUncompressedBytes: 1_000_000 })).rejects.toThrow(
      /decompresses to more than 1000000 bytes/,
    );
  });

  it('a config naming an unknown class says which class and how to register it', async () => {
    const config = {
      module: null,
      class_name: 'MysteryLayer',
      config: { name: 'm' },
      registered_name: 'my_pkg>MysteryLayer',
    };
    const path = write(
      zipSync({ 'config.json': enc(JSON.stringify(config)), 'metadata.json': enc('{}') }),
      'unknown.keras',
    );
    const error = await loadModel(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toMatch(
      /unknown\.keras: Unknown class 'my_pkg>MysteryLayer'.*registerSerializable/,
    );
  });

  it('missing config.json and invalid JSON are reported', async () => {
    const a = write(zipSync({ 'metadata.json': enc('{}') }), 'noconfig.keras');
    await expect(loadModel(a)).rejects.toThrow(/has no 'config.json'/);
    const b = write(zipSync({ 'config.json': enc('{oops') }), 'badjson.keras');
    await expect(loadModel(b)).rejects.toThrow(/'config.json' is not valid JSON/);
  });

  it('weights whose shapes do not match name the layer, both shapes and the file; the model is unchanged', async () => {
    const source = tinyModel(3);
    const path = join(tempDir(), 'w.weights.h5');
    await source.saveWeights(path);
    const target = tinyModel(5);
    const before = target.getWeights();
    await expect(target.loadWeights(path)).rejects.toThrow(
      /w\.weights\.h5: weight shape mismatch for Dense 'head'.*shape \[4, 5\].*shape \[4, 3\]/,
    );
    const after = target.getWeights();
    after.forEach((t, i) => {
      expect(Array.from(t.dataSync())).toEqual(Array.from((before[i] as tf.Tensor).dataSync()));
    });
    tf.dispose([...before, ...after]);
    source.dispose();
    target.dispose();
  });

  it('a save that fails midway leaves the previous file intact and no temporary file behind', async () => {
    const dir = tempDir();
    const path = join(dir, 'model.keras');
    const model = tinyModel();
    await saveModel(model, path);
    const original = readFileSync(path);
    // Injected failure while the bytes are being written.
    await expect(
      atomicWrite(path, async (writeChunk) => {
        await writeChunk(new Uint8Array(100));
        throw new Error('disk full (injected)');
      }),
    ).rejects.toThrow(/injected/);
    // A model whose config cannot be written fails before the target is touched.
    const broken = tinyModel();
    (broken.layers[0] as unknown as { getConfig: () => Config }).getConfig = () => {
      throw new Error('getConfig failed (injected)');
    };
    await expect(broken.save(path)).rejects.toThrow(/injected/);
    expect(Buffer.compare(readFileSync(path), original)).toBe(0);
    expect(readdirSync(dir)).toEqual(['model.keras']);
    model.dispose();
    broken.dispose();
  });
});
