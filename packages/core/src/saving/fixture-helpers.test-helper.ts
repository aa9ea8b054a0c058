/** Shared helpers of the saving tests: fixture paths, reference JSON, closeness. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync } from 'fflate';
import { expect } from 'vitest';

/** packages/core/test-fixtures/saving */
export const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'test-fixtures',
  'saving',
);

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

/** The parsed `config.json` of the `.keras` archive at `path`. */
export function archiveConfig<T = unknown>(path: string): T {
  return JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(path))['config.json'])) as T;
}

interface RefTensor {
  name: string;
  dtype: string;
  shape: number[];
  data: unknown;
}
export interface KerasReference {
  inputs: RefTensor[];
  outputs: RefTensor[];
  training?: Record<string, unknown>;
}

export function readReference(stem: string): KerasReference {
  return JSON.parse(
    readFileSync(fixture('keras3', `${stem}.reference.json`), 'utf8'),
  ) as KerasReference;
}

export function toTensor(t: RefTensor): tf.Tensor {
  return tf.tensor(
    (t.data as number[]).flat(10) as number[],
    t.shape,
    t.dtype === 'int32' ? 'int32' : 'float32',
  );
}

/** Max |a - b| over two tensors of equal shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(
    () =>
      tf.max(tf.abs(tf.sub(tf.cast(a, 'float32'), tf.cast(b, 'float32')))).dataSync()[0] as number,
  );
}

export function tempDir(prefix = 'cornu-saving-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
