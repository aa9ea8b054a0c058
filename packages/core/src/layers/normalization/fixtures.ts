import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Nested number arrays as written by scripts/reference/norm.py. */
export type Nested = number | Nested[];

/** Loads `test-fixtures/reference/norm/<name>.json`. */
export function loadNormFixture<T>(name: string): T {
  const url = new URL(`../../../test-fixtures/reference/norm/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** A float32 tensor from nested lists. */
export function t(values: Nested): tf.Tensor {
  return tf.tensor(values as number[], undefined, 'float32');
}

/** |actual - expected| <= atol + rtol * |expected| elementwise (explicit 1e-5 tolerances by default). */
export function expectClose(
  actual: tf.Tensor,
  expected: Nested | tf.Tensor,
  atol = 1e-5,
  rtol = 1e-5,
): void {
  const exp = expected instanceof tf.Tensor ? expected : t(expected);
  expect(actual.shape).toEqual(exp.shape);
  const a = actual.dataSync();
  const e = exp.dataSync();
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const excess =
      Math.abs((a[i] as number) - (e[i] as number)) - (atol + rtol * Math.abs(e[i] as number));
    worst = Math.max(worst, excess);
  }
  if (!(expected instanceof tf.Tensor)) exp.dispose();
  expect(worst).toBeLessThanOrEqual(0);
}
