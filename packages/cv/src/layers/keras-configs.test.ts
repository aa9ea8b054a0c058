/**
 * Layer configs the Keras way: every dict in test-fixtures/keras-reference/configs.json (and the
 * dict of every case in layers.json) is `keras.saving.serialize_keras_object(layer)` from real
 * Keras 3.15.1 (scripts/keras_reference.py). Cornu rebuilds each layer from Keras's dict and
 * writes it back; the result must be Keras's dict key for key, except for the differences listed
 * here (each says why, and an entry that no longer differs fails).
 */
import { readFileSync } from 'node:fs';
import { backend, saving, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as cv from '../index.js';
import { fixture } from '../test-utils.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Case {
  id: string;
  dict: { module: string; class_name: string; config: Record<string, Json>; registered_name: null };
}
const read = (name: string) =>
  JSON.parse(readFileSync(fixture(`keras-reference/${name}`), 'utf8')) as {
    keras_version: string;
    cases: Case[];
  };
const configs = read('configs.json');
const layerCases = read('layers.json');
const cases = [
  ...configs.cases,
  ...layerCases.cases.map((c) => ({ id: `layers.json ${c.id}`, dict: c.dict })),
];

/**
 * Keras 3 layers whose arguments Cornu does not implement (Cornu's take KerasCV's): rebuilding
 * Keras's dict must fail with this message rather than drop the arguments.
 */
const REFUSED: Record<string, RegExp> = {
  cut_mix:
    /CutMix 'cut_mix': Keras 3's factor argument is not supported; this layer takes KerasCV's alpha/,
  rand_augment:
    /RandAugment 'rand_augment': Keras 3's numOps, factor, interpolation arguments are not supported/,
  aug_mix: /AugMix 'aug_mix': Keras 3's factor, allOps, interpolation arguments are not supported/,
};

/** Paths (`a.b.0`) where two JSON values differ; missing keys count. */
function diffPaths(a: Json | undefined, b: Json | undefined, at = ''): string[] {
  if (Object.is(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [at];
    return a.flatMap((v, i) => diffPaths(v, b[i], at ? `${at}.${i}` : String(i)));
  }
  const isObject = (v: unknown): v is Record<string, Json> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffPaths(a[k], b[k], at ? `${at}.${k}` : k));
  }
  return [at];
}

const rebuild = (c: Case) =>
  saving.deserializeKerasObject(
    structuredClone(c.dict) as Parameters<typeof saving.deserializeKerasObject>[0],
  ) as cv.BaseImageAugmentationLayer;

beforeAll(async () => {
  await backend.ready();
});

describe('Keras 3.15.1 layer configs (keras-reference/configs.json, layers.json)', () => {
  it('cover every Cornu layer Keras 3 has (GridMask and Mosaic are KerasCV-only)', () => {
    expect(configs.keras_version).toBe('3.15.1');
    expect(configs.cases.length).toBe(35);
    expect(cases.length).toBe(35 + 69);
    const recorded = new Set(cases.map((c) => c.dict.class_name));
    const exported = Object.entries(cv)
      .filter(([, v]) => typeof v === 'function' && Object.hasOwn(v, 'className'))
      .map(([name]) => name);
    expect(exported.length).toBeGreaterThan(30);
    expect(exported.filter((name) => !recorded.has(name)).sort()).toEqual(['GridMask', 'Mosaic']);
    for (const id of Object.keys(REFUSED)) expect(configs.cases.map((c) => c.id)).toContain(id);
  });

  for (const c of cases) {
    const refusal = REFUSED[c.id];
    if (refusal) {
      it(`${c.id} (${c.dict.class_name}): Cornu refuses Keras 3's arguments clearly`, () => {
        expect(() => rebuild(c)).toThrow(refusal);
      });
      continue;
    }
    it(`${c.id} (${c.dict.class_name}): Cornu reads Keras's dict and writes it back key for key`, () => {
      const before = tf.memory().numTensors;
      const layer = rebuild(c);
      expect(layer.className).toBe(c.dict.class_name);
      const written = saving.serializeKerasObject(layer) as unknown as Json;
      const differing = diffPaths(written, c.dict as unknown as Json);
      const at = (v: unknown, path: string) =>
        path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], v);
      const detail = differing
        .map(
          (p) =>
            `${p}: Cornu ${JSON.stringify(at(written, p))}, Keras ${JSON.stringify(at(c.dict, p))}`,
        )
        .join('; ');
      // Keras writes (and needs) registered_name null for its built-ins; cv registers them as such.
      expect(differing, detail).toEqual([]);
      expect(at(written, 'registered_name')).toBeNull();
      layer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('keys Keras refuses are written only when set (Cornu extensions)', () => {
    const keys = (layer: cv.BaseImageAugmentationLayer) => Object.keys(layer.getConfig()).sort();
    // defaults: exactly the keys of the Keras classes (name, trainable, dtype come from core)
    expect(keys(new cv.RandomFlip())).toEqual(
      ['data_format', 'dtype', 'mode', 'name', 'seed', 'trainable'].sort(),
    );
    expect(keys(new cv.CenterCrop({ height: 3, width: 4 }))).toEqual(
      ['data_format', 'dtype', 'height', 'name', 'trainable', 'width'].sort(),
    );
    expect(keys(new cv.RandomGrayscale())).toEqual(
      ['data_format', 'dtype', 'factor', 'name', 'trainable'].sort(),
    );
    expect(keys(new cv.RandomErasing())).not.toContain('ratio');
    expect(keys(new cv.RandomPerspective())).not.toContain('fill_mode');
    // set, they are written (Cornu's own round trip keeps them)
    expect(new cv.RandomFlip({ fillMode: 'constant' }).getConfig().fill_mode).toBe('constant');
    expect(
      new cv.RandomCrop({ height: 2, width: 2, interpolation: 'nearest' }).getConfig()
        .interpolation,
    ).toBe('nearest');
    expect(new cv.RandomGrayscale({ valueRange: [0, 1], seed: 3 }).getConfig()).toMatchObject({
      value_range: [0, 1],
      seed: 3,
    });
    expect(new cv.RandomErasing({ ratio: [0.5, 2] }).getConfig().ratio).toEqual([0.5, 2]);
    expect(new cv.RandomPerspective({ fillMode: 'reflect' }).getConfig().fill_mode).toBe('reflect');
  });

  it('a number factor is written as the pair Keras reads the same way', () => {
    // Keras reads a number f as [0, f] for RandomContrast (contrast in [1, 1 + f]) and as [-f, f]
    // for RandomSaturation, unlike Cornu: the pair keeps the meaning when Keras loads the config
    expect(new cv.RandomContrast({ factor: 0.3 }).getConfig().factor).toEqual([0.3, 0.3]);
    expect(new cv.RandomSaturation({ factor: 0.4 }).getConfig().factor).toEqual([0.3, 0.7]);
    expect(() => new cv.RandomFlip({ dataFormat: 'channels_first' as 'channels_last' })).toThrow(
      /dataFormat must be 'channels_last' \(images \[B, h, w, c\]\); channels_first is not supported. Received: dataFormat="channels_first"/,
    );
  });
});
