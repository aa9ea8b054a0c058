import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';

/**
 * Converts integer class labels to one-hot float32 rows (Keras `to_categorical`).
 *
 * `y` of shape `[...batch]` (or `[...batch, 1]`, whose trailing 1 is dropped as Keras does) gives
 * `[...batch, numClasses]`. `numClasses` defaults to `max(y) + 1`.
 *
 * @example
 * utils.toCategorical([0, 2, 1], 3); // [[1,0,0],[0,0,1],[0,1,0]]
 */
export function toCategorical(
  y: tf.Tensor | number[] | Int32Array,
  numClasses?: number,
): tf.Tensor {
  const labels = y instanceof tf.Tensor ? y : tf.tensor(Array.from(y), undefined, 'int32');
  try {
    let shape = labels.shape.slice();
    if (shape.length > 1 && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
    const values = labels.dataSync();
    let max = -1;
    for (const v of values) {
      if (!Number.isInteger(v) || v < 0) {
        throw new ValueError(
          `toCategorical: labels must be non-negative integers. Received: ${v}.`,
        );
      }
      if (v > max) max = v;
    }
    const n = numClasses ?? max + 1;
    if (!Number.isInteger(n) || n <= max) {
      throw new ValueError(
        `toCategorical: numClasses must be an integer greater than the largest label ${max}. Received: numClasses=${numClasses}.`,
      );
    }
    const out = new Float32Array(values.length * n);
    for (let i = 0; i < values.length; i++) out[i * n + values[i]!] = 1;
    return tf.tensor(out, [...shape, n], 'float32');
  } finally {
    if (!(y instanceof tf.Tensor)) labels.dispose();
  }
}
