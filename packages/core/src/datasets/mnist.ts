import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { type NpyArray, npzGet, parseNpz } from '../utils/npy.js';
import { type DownloadArgs, fetchDatasetFile, KERAS_DATASETS_ORIGIN } from './download.js';

export type ImageSplit<X extends tf.Tensor = tf.Tensor3D, Y extends tf.Tensor = tf.Tensor1D> = [
  x: X,
  y: Y,
];

export interface MnistLoadArgs extends DownloadArgs {
  /**
   * File name in the cache (Keras's `path`).
   * @default 'mnist.npz'
   */
  path?: string;
}

const HASH = '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1';

function uint8Array(array: NpyArray, key: string): { data: Uint8Array; shape: number[] } {
  if (array.kind !== 'numeric' || array.dtype !== 'u1') {
    throw new ValueError(
      `mnist.npz: '${key}' must be a uint8 array. Received dtype '${array.dtype}'.`,
    );
  }
  return { data: array.data as Uint8Array, shape: array.shape };
}

/**
 * MNIST handwritten digits (60,000 train + 10,000 test 28x28 images), downloaded once from
 * Keras's `mnist.npz` and cached (sha256-checked).
 *
 * Returns `[[xTrain, yTrain], [xTest, yTest]]`: x float32 `[n, 28, 28]` with pixel values 0..255,
 * y int32 `[n]` with labels 0..9.
 *
 * @example
 * const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
 */
export async function loadData(args: MnistLoadArgs = {}): Promise<[ImageSplit, ImageSplit]> {
  const file = await fetchDatasetFile('mnist.npz', KERAS_DATASETS_ORIGIN, HASH, args, {
    cachedName: args.path ?? 'mnist.npz',
  });
  const npz = parseNpz(new Uint8Array(await readFile(file)));
  const split = (xKey: string, yKey: string): ImageSplit => {
    const x = uint8Array(npzGet(npz, xKey, 'mnist.npz'), xKey);
    const y = uint8Array(npzGet(npz, yKey, 'mnist.npz'), yKey);
    return [
      tf.tensor3d(Float32Array.from(x.data), x.shape as [number, number, number], 'float32'),
      tf.tensor1d(Int32Array.from(y.data), 'int32'),
    ];
  };
  return [split('x_train', 'y_train'), split('x_test', 'y_test')];
}
