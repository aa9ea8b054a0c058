/**
 * Sum over leading axes, re-routed onto the XNNPACK product.
 *
 * Every bias gradient is a sum over all axes but the last (a conv layer's over [batch, H, W], a
 * dense layer's over the batch). The stock wasm Sum first transposes the reduced axes to the inside
 * with its generic Transpose, then sums: on a [128, 26, 26, 32] gradient that transpose dominates.
 * A sum over the leading axes is the product ones[1, N] x x[N, C], which the XNNPACK GEMM streams
 * in one pass (after one copy, see below).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Inputs, matMul, release, reshape, run, type WasmBackend } from './kernel-call.js';

type KernelArgs = { inputs: Inputs; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/** Rows below which the stock kernel is as fast (nothing to gain from the product). */
const MIN_ROWS = 8;
/**
 * Columns from which the stock transpose is the faster one: its rows of `columns` contiguous
 * floats read well, while the product re-packs its [rows, columns] operand (measured: a conv bias
 * gradient over [128, 26, 26, 32] 130-150 ms routed against 230-430 ms stock; over
 * [128, 11, 11, 64] 98-104 ms routed against 67-88 ms stock, on a loaded 2-core machine).
 */
const MAX_COLUMNS = 64;

/** The number of leading axes `axis` names when it names exactly axes 0..k-1, else 0. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = tf.util.parseAxisParam(
    axis,
    [...Array(rank).keys()].map(() => 1),
  );
  const sorted = [...new Set(axes)].sort((a, b) => a - b);
  return sorted.every((a, i) => a === i) ? sorted.length : 0;
}

function sum(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
  const x = inputs.x!;
  const rank = x.shape.length;
  const k = x.dtype === 'float32' ? leadingAxes(axis, rank) : 0;
  const rows = tf.util.sizeFromShape(x.shape.slice(0, k));
  const rest = x.shape.slice(k);
  const columns = tf.util.sizeFromShape(rest);
  if (k === 0 || k === rank || rows < MIN_ROWS || columns >= MAX_COLUMNS)
    return run(tf.Sum, backend, inputs, attrs);
  const wasm = backend as WasmBackend;
  const ones = wasm.makeOutput([1, rows], 'float32', undefined, new Float32Array(rows).fill(1));
  // A fresh copy as the right operand: the stock BatchMatMul caches its packed right operand by
  // data id, whatever the shape, so x itself (or a reshape of it, which shares the id) would reuse
  // a packing made for another shape of the same data (kernels.test.ts checks two in a row).
  const x2d = wasm.makeOutput([rows, columns], 'float32');
  (wasm.typedArrayFromHeap(x2d) as Float32Array).set(wasm.typedArrayFromHeap(x) as Float32Array);
  const product = matMul(backend, ones, x2d);
  const outShape = keepDims ? [...x.shape.slice(0, k).map(() => 1), ...rest] : rest;
  const out = reshape(backend, product, outShape);
  release(backend, ones, x2d, product);
  return out;
}

export const reduceKernels: readonly tf.KernelConfig[] = [
  { kernelName: tf.Sum, backendName: 'wasm', kernelFunc: sum as unknown as tf.KernelFunc },
];
