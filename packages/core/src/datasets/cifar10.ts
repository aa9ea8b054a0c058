import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { ndarrayFromPickle } from '../utils/npy.js';
import { unpickle } from '../utils/pickle.js';
import { type DownloadArgs, fetchDatasetFile } from './download.js';
import type { ImageSplit } from './mnist.js';

const ORIGIN = 'https://www.cs.toronto.edu/~kriz/';
const HASH = '6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce';

/** The ten CIFAR-10 class names, indexed by label. */
export const CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** Reads one pickled CIFAR batch: CHW uint8 rows and labels. */
async function loadBatch(path: string): Promise<{ data: Uint8Array; labels: number[] }> {
  const batch = unpickle(new Uint8Array(await readFile(path)));
  if (!(batch instanceof Map)) throw new ValueError(`${path}: expected a pickled dict.`);
  const array = ndarrayFromPickle(batch.get('data'));
  const labels = batch.get('labels') ?? batch.get('fine_labels');
  if (
    array.kind !== 'numeric' ||
    array.dtype !== 'u1' ||
    array.shape[1] !== 3072 ||
    !Array.isArray(labels)
  ) {
    throw new ValueError(`${path}: expected 'data' uint8 [n, 3072] and a 'labels' list.`);
  }
  return { data: array.data as Uint8Array, labels: labels as number[] };
}

/** Concatenates CHW batches into one channels-last float32 tensor. */
function toImages(batches: { data: Uint8Array }[], n: number): tf.Tensor4D {
  const out = new Float32Array(n * 3072);
  let sample = 0;
  for (const { data } of batches) {
    for (let s = 0; s < data.length / 3072; s++, sample++) {
      const src = s * 3072;
      const dst = sample * 3072;
      for (let c = 0; c < 3; c++) {
        for (let p = 0; p < 1024; p++) out[dst + p * 3 + c] = data[src + c * 1024 + p]!;
      }
    }
  }
  return tf.tensor4d(out, [n, 32, 32, 3], 'float32');
}

/**
 * CIFAR-10 (60,000 32x32 colour images in 10 classes), downloaded once as
 * `cifar-10-python.tar.gz` from the University of Toronto (sha256-checked) and extracted into
 * `<cache>/datasets/cifar-10-batches-py`.
 *
 * Returns `[[xTrain, yTrain], [xTest, yTest]]`: x float32 `[n, 32, 32, 3]` (channels last, 0..255),
 * y int32 `[n, 1]` as Keras returns it.
 */
export async function loadData(
  args: DownloadArgs = {},
): Promise<[ImageSplit<tf.Tensor4D, tf.Tensor2D>, ImageSplit<tf.Tensor4D, tf.Tensor2D>]> {
  const dir = await fetchDatasetFile('cifar-10-python.tar.gz', ORIGIN, HASH, args, {
    untar: true,
    cachedName: 'cifar-10-batches-py',
  });
  const train = [];
  for (let i = 1; i <= 5; i++) train.push(await loadBatch(join(dir, `data_batch_${i}`)));
  const test = await loadBatch(join(dir, 'test_batch'));
  const trainLabels = train.flatMap((b) => b.labels);
  return [
    [
      toImages(train, trainLabels.length),
      tf.tensor2d(trainLabels, [trainLabels.length, 1], 'int32'),
    ],
    [
      toImages([test], test.labels.length),
      tf.tensor2d(test.labels, [test.labels.length, 1], 'int32'),
    ],
  ];
}
