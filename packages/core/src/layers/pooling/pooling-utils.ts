import * as tf from '@tensorflow/tfjs-core';
import { samePadding } from '../convolution/conv-utils.js';

/** Max or average pooling. */
export type PoolMode = 'max' | 'average';

/**
 * N-D pooling (N = 1, 2, 3) of a channels-last x. 'same' padding follows TensorFlow (extra padding
 * at the end) and average pooling divides by the number of real elements in each window. Max
 * pooling pads explicitly with -Infinity. wasm's MaxPool3D starts each window's maximum at +1e-38
 * (so an all-negative window comes out as 1e-38), hence 3D max pooling runs on `x - min(x)`
 * (all values >= 0, padding 0) and adds `min(x)` back.
 */
export function pool(
  x: tf.Tensor,
  mode: PoolMode,
  poolSize: readonly number[],
  strides: readonly number[],
  padding: 'valid' | 'same',
): tf.Tensor {
  return tf.tidy(() => {
    const rank = x.rank - 2;
    if (mode === 'max' && rank === 3) {
      const low = tf.min(x);
      const shifted = tf.sub(x, low);
      const padded = padding === 'same' ? tf.pad(shifted, samePads(x, poolSize, strides)) : shifted;
      const size = poolSize as [number, number, number];
      const stride = strides as [number, number, number];
      return tf.add(tf.maxPool3d(padded as tf.Tensor5D, size, stride, 'valid'), low);
    }
    if (mode === 'max' && padding === 'same') {
      const padded = tf.pad(x, samePads(x, poolSize, strides), Number.NEGATIVE_INFINITY);
      return pool(padded, mode, poolSize, strides, 'valid');
    }
    if (rank === 1) {
      const x4 = tf.expandDims(x, 1) as tf.Tensor4D;
      const size: [number, number] = [1, poolSize[0] as number];
      const stride: [number, number] = [1, strides[0] as number];
      const y =
        mode === 'max'
          ? tf.maxPool(x4, size, stride, padding)
          : tf.avgPool(x4, size, stride, padding);
      return tf.squeeze(y, [1]);
    }
    if (rank === 2) {
      const size = poolSize as [number, number];
      const stride = strides as [number, number];
      const x4 = x as tf.Tensor4D;
      return mode === 'max'
        ? tf.maxPool(x4, size, stride, padding)
        : tf.avgPool(x4, size, stride, padding);
    }
    const size = poolSize as [number, number, number];
    const stride = strides as [number, number, number];
    const x5 = x as tf.Tensor5D;
    return mode === 'max'
      ? tf.maxPool3d(x5, size, stride, padding)
      : tf.avgPool3d(x5, size, stride, padding);
  });
}

/** TensorFlow 'same' padding of every axis of a channels-last x (none on batch and channels). */
function samePads(
  x: tf.Tensor,
  poolSize: readonly number[],
  strides: readonly number[],
): [number, number][] {
  return x.shape.map((n, i): [number, number] =>
    i === 0 || i === x.rank - 1
      ? [0, 0]
      : samePadding(n as number, poolSize[i - 1] as number, strides[i - 1] as number),
  );
}
