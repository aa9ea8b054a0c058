/**
 * OneHot for the wasm engine. The stock kernel writes int32 values whatever dtype it is asked for,
 * so `tf.oneHot(indices, depth, 1, 0, 'float32')` reads back as denormals (1 -> 1.4e-45) on stock
 * tfjs-backend-wasm 4.22. Here it always runs as int32 and is cast to the requested dtype.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Inputs, release, run } from './kernel-call.js';

type KernelArgs = { inputs: Inputs; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

function oneHot({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dtype } = attrs as unknown as tf.OneHotAttrs;
  const ints = run(tf.OneHot, backend, inputs, { ...attrs, dtype: 'int32' });
  if (dtype === 'int32') return ints;
  const out = run(tf.Cast, backend, { x: ints }, { dtype });
  release(backend, ints);
  return out;
}

export const oneHotKernels: readonly tf.KernelConfig[] = [
  { kernelName: tf.OneHot, backendName: 'wasm', kernelFunc: oneHot as unknown as tf.KernelFunc },
];
