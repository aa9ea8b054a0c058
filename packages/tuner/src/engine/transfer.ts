import { tf, ValueError } from '@cornu/core';

/** A tensor as plain data, for `postMessage` to a worker thread. */
interface EncodedTensor {
  __cornuTensor__: { shape: number[]; dtype: tf.DataType; values: tf.TypedArray | string[] };
}

/**
 * Encodes fit data and arguments (tensors, arrays and records of them, numbers, strings, booleans,
 * null) for a worker thread: tensors become their values. Anything a worker cannot rebuild
 * (functions, callbacks, datasets, class instances) is refused with an error naming its path.
 */
export function encodeForWorker(value: unknown, path: string): unknown {
  if (value instanceof tf.Tensor) {
    return {
      __cornuTensor__: {
        shape: [...value.shape],
        dtype: value.dtype,
        values:
          value.dtype === 'string'
            ? (value.arraySync() as unknown as string[])
            : value.dataSync().slice(),
      },
    } satisfies EncodedTensor;
  }
  if (value === null || value === undefined) return value;
  if (['number', 'string', 'boolean'].includes(typeof value)) return value;
  if (Array.isArray(value)) return value.map((v, i) => encodeForWorker(v, `${path}[${i}]`));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, encodeForWorker(v, `${path}.${k}`)]),
    );
  }
  const what =
    typeof value === 'function' ? 'a function' : `a ${value.constructor?.name ?? typeof value}`;
  throw new ValueError(
    `${path}: parallel model trials send the data and fit arguments to worker threads, which takes tensors, arrays, records and plain values; received ${what}. Run with maxParallelTrials: 1, or pass tensors (datasets and callbacks stay in this thread).`,
  );
}

/** Rebuilds what `encodeForWorker` encoded, in the worker. */
export function decodeInWorker(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeInWorker);
  const encoded = (value as Partial<EncodedTensor>).__cornuTensor__;
  if (encoded) {
    const { shape, dtype, values } = encoded;
    return tf.tensor(values as tf.TypedArray, shape, dtype);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeInWorker(v)]));
}
