/**
 * Registers the kernels the stock wasm engine lacks or runs slowly. Called once, before the wasm
 * backend is first used.
 *
 * The inventory, taken from tfjs-core 4.22's kernel_names against
 * `tf.getKernelsForBackend('wasm')` (wasm has 157 of the cpu engine's 172):
 * - composed from fast wasm kernels (the hot training paths): Conv2DBackpropFilter,
 *   Conv2DBackpropInput (stock one is a scalar loop), DepthwiseConv2dNativeBackpropFilter,
 *   DepthwiseConv2dNativeBackpropInput, MaxPoolGrad (stock one is a scalar loop, and wrong for
 *   overlapping windows),
 *   UnsortedSegmentSum (the gradient of Gather / Embedding);
 * - re-routed around a slow path: BatchMatMul and _FusedMatMul with transposed operands, and Sum
 *   over leading axes (every bias gradient) as a product with a row of ones; Slice, Unpack, SplitV
 *   and contiguous StridedSlice, which copied their whole input off the heap for every slice;
 *   GatherV2, whose C loop recomputes a multi-dimensional index per element;
 * - re-routed around a stock bug: OneHot (writes int32 whatever the dtype);
 * - the cpu engine's implementation instead of a wrong stock one (`CPU_REPLACED_KERNELS`):
 *   Conv3DBackpropInputV2 (wrong for every padding and stride), Conv3DBackpropFilterV2 (wrong
 *   with 'same' padding and stride 2), and Dilation2D with its two backprops (the stock forward
 *   pads with zeros instead of ignoring the padding, so 'same' is wrong at the borders), found by
 *   `kernels.test.ts`;
 * - the cpu engine's implementation, per kernel (`CPU_FALLBACK_KERNELS`): Einsum (no gradient in
 *   tfjs, so no training path), RaggedGather, RaggedRange, RaggedTensorToTensor,
 *   StaticRegexReplace;
 * - not registered (`UNSUPPORTED_ON_WASM`): the complex64 kernels, because the wasm backend cannot
 *   store complex tensors, and Draw (browser canvas only).
 * Every other kernel a Keras layer family uses (Conv3D and its backprops, MaxPool3DGrad,
 * AvgPoolGrad, AvgPool3DGrad, FusedBatchNorm, LRN/LRNGrad, Cumsum, TopK, resize and their grads,
 * MirrorPad, Erf, Selu, Elu/EluGrad, Relu6, Softplus, Reciprocal, Mod,
 * ScatterNd, GatherNd, ...) is a stock wasm kernel; `kernels.test.ts` checks its gradients against
 * the cpu engine all the same.
 *
 * Threads: the wasm engine runs on one thread in Node. tfjs-backend-wasm 4.22 ships a threaded
 * SIMD binary, but its flag WASM_HAS_MULTITHREAD_SUPPORT returns false whenever IS_NODE (tfjs issue
 * 3830), and forcing it on does not help: the Emscripten glue spawns each pthread worker from a
 * `blob:` URL made by `URL.createObjectURL`, which Node's `worker_threads.Worker` refuses (it takes
 * file paths and `file:`/`data:` URLs only), and the glue's worker script expects the browser
 * `importScripts` environment. Making it work would mean rewriting the glue's worker bootstrap, so
 * Cornu keeps the single-threaded SIMD binary.
 */
import * as tf from '@tensorflow/tfjs-core';
import { convBackpropKernels } from './conv-backprop.js';
import { cpuFallback } from './cpu-fallback.js';
import { captureStockKernels, stockKernel } from './kernel-call.js';
import { gatherKernels } from './gather.js';
import { matMulKernels } from './matmul.js';
import { oneHotKernels } from './one-hot.js';
import { poolingKernels } from './pooling.js';
import { reduceKernels } from './reduce.js';
import { segmentKernels } from './segment.js';
import { sliceKernels } from './slice.js';

/** How Cornu provides a kernel on the wasm engine. */
export type WasmKernelRoute = 'composed' | 're-routed' | 'cpu-fallback';

/** Kernels the cpu engine has and wasm lacks, that run the cpu implementation per call. */
export const CPU_FALLBACK_KERNELS: readonly string[] = [
  tf.Einsum,
  tf.RaggedGather,
  tf.RaggedRange,
  tf.RaggedTensorToTensor,
  tf.StaticRegexReplace,
];

/** Stock wasm kernels that return wrong values (tfjs-backend-wasm 4.22); the cpu one runs instead. */
export const CPU_REPLACED_KERNELS: readonly string[] = [
  tf.Conv3DBackpropInputV2,
  tf.Conv3DBackpropFilterV2,
  tf.Dilation2D,
  tf.Dilation2DBackpropInput,
  tf.Dilation2DBackpropFilter,
];

/** Kernels the cpu engine has that stay unavailable on wasm, with the reason. */
export const UNSUPPORTED_ON_WASM: Readonly<Record<string, string>> = {
  [tf.Complex]: 'the wasm backend cannot store complex64 tensors',
  [tf.ComplexAbs]: 'the wasm backend cannot store complex64 tensors',
  [tf.Real]: 'the wasm backend cannot store complex64 tensors',
  [tf.Imag]: 'the wasm backend cannot store complex64 tensors',
  [tf.FFT]: 'the wasm backend cannot store complex64 tensors',
  [tf.IFFT]: 'the wasm backend cannot store complex64 tensors',
  [tf.Draw]: 'draws on a browser canvas',
};

const routes = new Map<string, WasmKernelRoute>();
let installed = false;

function register(config: tf.KernelConfig, route: WasmKernelRoute): void {
  const stock = stockKernel(config.kernelName);
  if (stock) tf.unregisterKernel(config.kernelName, 'wasm');
  // The stock kernel's setupFunc binds its wasm export; keep it so re-routes can call the original.
  tf.registerKernel({ ...config, setupFunc: stock?.setupFunc });
  routes.set(config.kernelName, route);
}

export function installWasmKernels(): void {
  if (installed) return;
  installed = true;
  captureStockKernels();
  for (const config of [...convBackpropKernels, ...poolingKernels, ...segmentKernels]) {
    register(config, 'composed');
  }
  for (const config of [
    ...matMulKernels,
    ...reduceKernels,
    ...oneHotKernels,
    ...sliceKernels,
    ...gatherKernels,
  ])
    register(config, 're-routed');
  for (const name of [...CPU_FALLBACK_KERNELS, ...CPU_REPLACED_KERNELS]) {
    if (tf.getKernel(name, 'cpu')) {
      register(
        { kernelName: name, backendName: 'wasm', kernelFunc: cpuFallback(name) },
        'cpu-fallback',
      );
    }
  }
}

/** The kernels Cornu registered or re-routed on the wasm engine, and how (empty before install). */
export function wasmKernelRoutes(): ReadonlyMap<string, WasmKernelRoute> {
  return routes;
}
