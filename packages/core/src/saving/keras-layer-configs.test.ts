/**
 * Layer configs written the Keras way: every case in test-fixtures/reference/keras-configs/*.json
 * is `keras.saving.serialize_keras_object(layer)` from real Keras 3.15.1 (jax backend, see
 * scripts/reference/keras_layer_configs.py), with non-default arguments. Cornu rebuilds each
 * layer from Keras's dict, writes it back with `serializeKerasObject` and must produce the same
 * dict (module, class_name, config, registered_name, build_config); where Keras recorded an
 * input, weights and its inference output, Cornu sets the same weights and reproduces the output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../backend/tfjs-side-effects.js';
import { ready } from '../backend/backend.js';
import { classNameOf, type Layer } from '../engine/layer.js';
import * as layers from '../layers/index.js';
import { modelFromConfig } from './model-config.js';
import {
  type Config,
  type ConfigValue,
  type KerasObjectDict,
  serializeKerasObject,
} from './registry.js';

interface RecordedTensor {
  dtype: 'float32' | 'int32' | 'bool' | 'string';
  shape: number[];
  data: (number | string)[];
}
interface RecordedCase {
  id: string;
  dict: KerasObjectDict;
  /** How Keras called the layer: `layer(x)`, `layer([a, b])` or `layer(a, b)`. */
  style: 'single' | 'list' | 'args';
  inputs?: RecordedTensor[];
  weights?: (RecordedTensor & { path: string })[];
  outputs?: RecordedTensor[];
}
interface FamilyFile {
  keras_version: string;
  backend: string;
  cases: RecordedCase[];
}

const DIR = new URL('../../test-fixtures/reference/keras-configs/', import.meta.url);
const families = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    file,
    doc: JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as FamilyFile,
  }));

/**
 * Keys Cornu legitimately writes differently from Keras, by case id, as paths into the dict
 * (`config.x.y`). Every entry says why; an entry that no longer differs fails the test.
 */
const ALLOWED: Record<string, { paths: string[]; why: string }> = {};

/**
 * Keras configs Cornu cannot run yet: rebuilding them must fail with this message (so the gap is
 * visible, and this entry must go when support lands).
 */
const UNSUPPORTED: Record<string, RegExp> = {
  // ConvLSTMCell runs channels_last only; channels_first would need transposes around the loop.
  conv_lstm2d_cf: /ConvLSTMCell 'conv_lstm_cell': dataFormat 'channels_first' is not supported/,
};

/**
 * Output dtypes Cornu legitimately differs in: Keras's lookups declare floatx outputs for the
 * encoded modes (`compute_output_spec`) but return int64 eagerly (int32 under jax); Cornu returns
 * what the spec says.
 */
const OUTPUT_DTYPE: Record<string, 'float32'> = {
  string_lookup_multi_hot: 'float32',
  integer_lookup_one_hot: 'float32',
  text_vectorization_multi_hot: 'float32',
};

/**
 * Exported layer classes with no case here, and why: abstract bases Keras does not serialize,
 * a class Keras does not export, and Lambda (Keras writes Python bytecode).
 */
const NOT_RECORDED = ['ConvLSTM', 'ConvLSTMCell', 'Lambda', 'Merge'];

/** Every Keras layer `class_name` in a dict, nested layers (cells, wrapped layers) included. */
function layerClassNames(value: ConfigValue | undefined, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) layerClassNames(v, out);
  else if (typeof value === 'object' && value !== null) {
    if (typeof value.class_name === 'string' && String(value.module).startsWith('keras.layers'))
      out.add(value.class_name);
    for (const v of Object.values(value)) layerClassNames(v, out);
  }
  return out;
}

/** Paths (`a.b.0.c`) where two JSON values differ; missing keys count as differences. */
function diffPaths(a: ConfigValue | undefined, b: ConfigValue | undefined, at = ''): string[] {
  if (Object.is(a, b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [at];
    return a.flatMap((v, i) => diffPaths(v, b[i], at ? `${at}.${i}` : String(i)));
  }
  const isObj = (v: unknown): v is Config =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffPaths(a[k], b[k], at ? `${at}.${k}` : k));
  }
  return [at];
}

function toTensor(t: RecordedTensor): tf.Tensor {
  if (t.dtype === 'string') return tf.tensor(t.data as string[], t.shape, 'string');
  return tf.tensor(t.data as number[], t.shape, t.dtype);
}

function rebuild(c: RecordedCase): Layer {
  // A fresh copy: nothing Cornu does to the dict while reading may leak into the comparison.
  return modelFromConfig(structuredClone(c.dict) as unknown as Config, {}, `${c.id} config`);
}

beforeAll(async () => {
  await ready();
});

const allCases = families.flatMap(({ doc }) => doc.cases);

describe('Keras 3 layer configs (keras-configs/*.json)', () => {
  it('were written by Keras 3.15.1 and cover every family', () => {
    expect(families.map((f) => f.file)).toEqual([
      'activation.json',
      'attention.json',
      'conv.json',
      'core.json',
      'merging.json',
      'normalization.json',
      'pooling.json',
      'preprocessing.json',
      'regularization.json',
      'reshaping.json',
      'rnn.json',
    ]);
    for (const { doc } of families) {
      expect(doc.keras_version).toBe('3.15.1');
      expect(doc.backend).toBe('jax');
    }
    expect(new Set(allCases.map((c) => c.id)).size).toBe(allCases.length);
    for (const id of [
      ...Object.keys(ALLOWED),
      ...Object.keys(UNSUPPORTED),
      ...Object.keys(OUTPUT_DTYPE),
    ])
      expect(allCases.map((c) => c.id)).toContain(id);
  });

  it('cover every layer class Cornu exports (except the listed ones)', () => {
    const recorded = new Set<string>();
    for (const c of allCases) layerClassNames(c.dict as unknown as ConfigValue, recorded);
    const exported = (Object.values(layers) as unknown[])
      .filter((v): v is typeof Layer => typeof v === 'function' && 'className' in v)
      .map((cls) => classNameOf(cls));
    expect(exported.length).toBeGreaterThan(90);
    expect(exported.filter((name) => !recorded.has(name)).sort()).toEqual(NOT_RECORDED);
  });

  for (const { file, doc } of families) {
    describe(file, () => {
      for (const c of doc.cases) {
        const refusal = UNSUPPORTED[c.id];
        if (refusal) {
          it(`${c.id} (${c.dict.class_name}): Cornu refuses it clearly`, () => {
            expect(() => rebuild(c)).toThrow(refusal);
          });
          continue;
        }
        it(`${c.id} (${c.dict.class_name}): Cornu reads Keras's dict and writes it back unchanged`, () => {
          const before = tf.memory().numTensors;
          const layer = rebuild(c);
          expect(layer.className).toBe(c.dict.class_name);
          const written = serializeKerasObject(layer);
          const keras = c.dict as unknown as ConfigValue;
          const differing = diffPaths(written as unknown as ConfigValue, keras);
          const at = (v: unknown, path: string) =>
            path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], v);
          const detail = differing
            .map(
              (p) =>
                `${p}: Cornu ${JSON.stringify(at(written, p))}, Keras ${JSON.stringify(at(keras, p))}`,
            )
            .join('; ');
          expect(differing, detail).toEqual(ALLOWED[c.id]?.paths ?? []);
          layer.dispose();
          expect(tf.memory().numTensors).toBe(before);
        });

        if (c.outputs && c.inputs) {
          const inputs = c.inputs;
          const outputs = c.outputs;
          it(`${c.id}: with Keras's weights, reproduces Keras's output to 1e-5`, () => {
            const before = tf.memory().numTensors;
            const layer = rebuild(c);
            const weights = (c.weights ?? []).map(toTensor);
            // Same weights, in the same order, with the same variable names. (Keras's variable
            // paths also prefix every enclosing layer, `mha/query/kernel`; Cornu's prefix only
            // the owning sublayer, so only the last segment is compared.)
            const lastSegment = (path: string) => path.split('/').at(-1);
            expect(layer.weights.map((w) => [lastSegment(w.path), w.shape])).toEqual(
              (c.weights ?? []).map((w) => [lastSegment(w.path), w.shape]),
            );
            layer.setWeights(weights);
            const xs = inputs.map(toTensor);
            const out = layer.apply(c.style === 'single' ? (xs[0] as tf.Tensor) : xs) as
              | tf.Tensor
              | tf.Tensor[];
            const outs = Array.isArray(out) ? out : [out];
            expect(outs.length).toBe(outputs.length);
            outputs.forEach((expected, i) => {
              const got = outs[i] as tf.Tensor;
              const dtype = OUTPUT_DTYPE[c.id] ?? expected.dtype;
              expect([got.shape, got.dtype]).toEqual([expected.shape, dtype]);
              if (expected.dtype !== 'float32') {
                expect([got.arraySync()].flat(got.rank)).toEqual(expected.data);
              } else {
                const values = got.dataSync();
                const worst = (expected.data as number[]).reduce(
                  (m, v, j) => Math.max(m, Math.abs((values[j] as number) - v)),
                  0,
                );
                expect(worst).toBeLessThan(1e-5);
              }
            });
            tf.dispose([...xs, ...outs, ...weights]);
            layer.dispose();
            expect(tf.memory().numTensors).toBe(before);
          });
        }
      }
    });
  }
});
