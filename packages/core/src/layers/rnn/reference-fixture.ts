/**
 * Test support for the recurrent and attention layers: loads the torch/Keras reference fixtures in
 * test-fixtures/reference/rnn-attention (written by scripts/reference/rnn_attention.py) and
 * compares tensors with an explicit absolute + relative tolerance.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';

const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../test-fixtures/reference/rnn-attention',
);

interface FixtureFile {
  torch_version: string;
  description: string;
  tensors: Record<string, { shape: number[]; data: number[] }>;
}

/** A reference fixture: `get(name)` makes a float32 tensor of the stored values (caller disposes). */
export interface ReferenceFixture {
  readonly description: string;
  get(name: string): tf.Tensor;
  values(name: string): number[];
}

export function loadReference(stem: string): ReferenceFixture {
  const file = JSON.parse(readFileSync(join(FIXTURES, `${stem}.json`), 'utf8')) as FixtureFile;
  const entry = (name: string) => {
    const found = file.tensors[name];
    if (!found)
      throw new Error(
        `fixture ${stem}: no tensor '${name}' (have ${Object.keys(file.tensors).join(', ')})`,
      );
    return found;
  };
  return {
    description: file.description,
    get: (name) => {
      const { shape, data } = entry(name);
      return tf.tensor(data, shape, 'float32');
    },
    values: (name) => entry(name).data,
  };
}

/**
 * Largest violation of `|actual - expected| <= atol + rtol * |expected|` (<= 0 means all close).
 * Throws when the shapes differ.
 */
export function closeness(
  actual: tf.Tensor,
  expected: tf.Tensor | number[],
  atol = 1e-5,
  rtol = 1e-5,
): number {
  const a = actual.dataSync();
  const e = Array.isArray(expected) ? expected : Array.from(expected.dataSync());
  if (!Array.isArray(expected) && JSON.stringify(actual.shape) !== JSON.stringify(expected.shape)) {
    throw new Error(`shape mismatch: actual [${actual.shape}] vs expected [${expected.shape}]`);
  }
  if (a.length !== e.length)
    throw new Error(`size mismatch: actual ${a.length} vs expected ${e.length}`);
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) {
    const ev = e[i] as number;
    worst = Math.max(worst, Math.abs((a[i] as number) - ev) - (atol + rtol * Math.abs(ev)));
  }
  return worst;
}

/** The outputs of a layer call as a list (`apply` on one tensor is typed as returning one). */
export function outputsOf(out: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(out) ? out : [out];
}
