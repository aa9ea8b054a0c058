/**
 * Per-kernel fallback: runs the cpu engine's implementation of one kernel for the wasm engine.
 *
 * The inputs are read out of the wasm heap, written into a private cpu backend (never the
 * registered 'cpu' one, so the engine's bookkeeping is untouched and tfjs's "install tfjs-node"
 * banner never prints), the cpu kernelFunc runs, and its outputs are copied back into the wasm heap.
 * Used for kernels no layer family trains through, where a copy costs nothing that matters.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { RuntimeError } from '../../errors/errors.js';
import type { WasmBackend } from './kernel-call.js';

let cpu: MathBackendCPU | undefined;

/** The private cpu backend the fallbacks run on (created on first use, banner silenced). */
function cpuBackend(): MathBackendCPU {
  if (!cpu) {
    cpu = new MathBackendCPU();
    (cpu as unknown as { firstUse: boolean }).firstUse = false;
  }
  return cpu;
}

type KernelInputs =
  | Record<string, tf.TensorInfo | tf.TensorInfo[] | null | undefined>
  | tf.TensorInfo[];

/** A wasm kernelFunc that runs the cpu engine's kernel `name` on copies of its inputs. */
export function cpuFallback(name: string): tf.KernelFunc {
  return ({ inputs, backend: wasmBackend, attrs }) => {
    const backend = wasmBackend as WasmBackend;
    const config = tf.getKernel(name, 'cpu');
    if (!config) {
      throw new RuntimeError(
        `Kernel '${name}': the cpu engine has no implementation to fall back to.`,
      );
    }
    const host = cpuBackend();
    const made: tf.DataId[] = [];
    // Some cpu kernels (Dilation2D's backprops) read `rank`, which engine tensors carry.
    const copy = (info: tf.TensorInfo): tf.TensorInfo => {
      const dataId = host.write(backend.readSync(info.dataId), info.shape, info.dtype);
      made.push(dataId);
      return {
        dataId,
        shape: info.shape,
        dtype: info.dtype,
        rank: info.shape.length,
      } as tf.TensorInfo;
    };
    // Named inputs may hold a list of tensors (RaggedGather's paramsNestedSplits).
    const copyEntry = (info: tf.TensorInfo | tf.TensorInfo[] | null | undefined) =>
      info == null ? info : Array.isArray(info) ? info.map(copy) : copy(info);
    const source = inputs as unknown as KernelInputs;
    const cpuInputs: KernelInputs = Array.isArray(source)
      ? source.map(copy)
      : Object.fromEntries(
          Object.entries(source as Record<string, tf.TensorInfo | tf.TensorInfo[]>).map(
            ([key, info]) => [key, copyEntry(info)],
          ),
        );
    try {
      const result = config.kernelFunc({
        inputs: cpuInputs as unknown as tf.NamedTensorInfoMap,
        backend: host,
        attrs: attrs ?? {},
      });
      const outputs = Array.isArray(result) ? result : [result];
      const copied = outputs.map((out) => {
        made.push(out.dataId);
        return backend.makeOutput(out.shape, out.dtype, undefined, host.readSync(out.dataId));
      });
      return Array.isArray(result) ? copied : copied[0]!;
    } finally {
      for (const dataId of made) host.disposeData(dataId, true);
    }
  };
}
