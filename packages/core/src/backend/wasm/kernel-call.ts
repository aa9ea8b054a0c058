/**
 * Calling tfjs-backend-wasm's own kernels from inside Cornu's kernels.
 *
 * A Cornu kernel receives `TensorInfo`s (data ids on the wasm heap, no `tf.Tensor` objects) and
 * composes the result from the stock wasm kernels, captured here before Cornu re-registers any of
 * them. Intermediates it makes are released with `release`; only the returned `TensorInfo`s reach
 * the engine, which then owns them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { RuntimeError } from '../../errors/errors.js';

/** The parts of tfjs-backend-wasm's `BackendWasm` that Cornu's kernels use. */
export interface WasmBackend extends tf.KernelBackend {
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: tf.backend_util.BackendValues,
  ): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export type Inputs = Record<string, tf.TensorInfo>;

const stock = new Map<string, tf.KernelConfig>();

/** Remembers the stock wasm kernels (call once, before any of them is re-registered). */
export function captureStockKernels(): void {
  if (stock.size > 0) return;
  for (const config of tf.getKernelsForBackend('wasm')) stock.set(config.kernelName, config);
}

/** The stock wasm kernel registered under `name`, or undefined when wasm has none. */
export function stockKernel(name: string): tf.KernelConfig | undefined {
  return stock.get(name);
}

/** Runs the stock wasm kernel `name` and returns its single output. */
export function run(
  name: string,
  backend: tf.KernelBackend,
  inputs: Inputs,
  attrs: object = {},
): tf.TensorInfo {
  const out = runMulti(name, backend, inputs, attrs);
  if (out.length !== 1) {
    throw new RuntimeError(`wasm kernel '${name}': expected one output, received ${out.length}.`);
  }
  return out[0]!;
}

/** Runs the stock wasm kernel `name` and returns all of its outputs. */
export function runMulti(
  name: string,
  backend: tf.KernelBackend,
  inputs: Inputs,
  attrs: object = {},
): tf.TensorInfo[] {
  const config = stock.get(name);
  if (!config) {
    throw new RuntimeError(
      `wasm kernel '${name}' is not registered; Cornu's wasm kernels need tfjs-backend-wasm 4.22.x.`,
    );
  }
  const out = config.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap });
  return Array.isArray(out) ? out : [out];
}

/** Frees intermediates made inside a kernel (never its inputs or its returned outputs). */
export function release(backend: tf.KernelBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** `Reshape` on wasm: shares the data and bumps its reference count (release it like any other). */
export function reshape(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  shape: number[],
): tf.TensorInfo {
  return run('Reshape', backend, { x }, { shape });
}

export function transpose(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  perm: number[],
): tf.TensorInfo {
  return run('Transpose', backend, { x }, { perm });
}

/** Plain 2D/3D product on the fast (untransposed) wasm path. */
export function matMul(
  backend: tf.KernelBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
): tf.TensorInfo {
  return run('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
}

/** The permutation that swaps the last two axes of a rank-`rank` tensor. */
export function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 1] = rank - 2;
  perm[rank - 2] = rank - 1;
  return perm;
}
