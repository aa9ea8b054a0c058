import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { corePackageRoot } from '../utils/package-root.js';

export interface DigitsLoadArgs {
  /**
   * Fraction of the 1797 samples held out as the test set.
   * @default 0.2
   */
  testSplit?: number;
  /**
   * Seed of the shuffle that precedes the split, so the split is the same on every machine.
   * @default 113
   */
  seed?: number;
}

export type DigitsSplit = [x: tf.Tensor3D, y: tf.Tensor1D];

/** Deterministic permutation (Fisher-Yates driven by a 32-bit LCG), independent of tf's RNG. */
function seededPermutation(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

/**
 * scikit-learn's 8x8 handwritten digits (1797 samples), bundled with @cornu/core: no download.
 *
 * Returns `[[xTrain, yTrain], [xTest, yTest]]` like Keras's `load_data()`: x is float32
 * `[n, 8, 8]` with raw pixel values 0..16, y is int32 `[n]` with labels 0..9.
 *
 * @example
 * const [[xTrain, yTrain], [xTest, yTest]] = await datasets.digits.loadData();
 */
export async function loadData({
  testSplit = 0.2,
  seed = 113,
}: DigitsLoadArgs = {}): Promise<[DigitsSplit, DigitsSplit]> {
  if (!(testSplit > 0 && testSplit < 1)) {
    throw new ValueError(
      `digits.loadData: testSplit must be in (0, 1). Received: testSplit=${testSplit}.`,
    );
  }
  const text = gunzipSync(
    await readFile(join(corePackageRoot(), 'data', 'digits.csv.gz')),
  ).toString('utf8');
  const rows = text.trim().split('\n');
  const n = rows.length;
  const pixels = new Float32Array(n * 64);
  const labels = new Int32Array(n);
  const order = seededPermutation(n, seed);
  for (let i = 0; i < n; i++) {
    const values = rows[order[i]!]!.split(',').map(Number);
    pixels.set(values.slice(0, 64), i * 64);
    labels[i] = values[64]!;
  }
  const nTest = Math.round(n * testSplit);
  const nTrain = n - nTest;
  return [
    [
      tf.tensor3d(pixels.subarray(0, nTrain * 64), [nTrain, 8, 8]),
      tf.tensor1d(labels.subarray(0, nTrain), 'int32'),
    ],
    [
      tf.tensor3d(pixels.subarray(nTrain * 64), [nTest, 8, 8]),
      tf.tensor1d(labels.subarray(nTrain), 'int32'),
    ],
  ];
}
