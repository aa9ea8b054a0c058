/**
 * GatherV2 (`tf.gather`, Embedding lookups, fit's shuffled batches) re-routed around the stock
 * wasm kernel, whose C loop recomputes a multi-dimensional index per element: gathering 128 rows of
 * a [7680, 784] tensor takes 2.9 ms there against 0.1 ms for the contiguous slice (measured). Here
 * each gathered slice (the elements after the gather axis) is one contiguous copy through heap views.
 * String tensors keep the stock kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Inputs, run, type WasmBackend } from './kernel-call.js';

type KernelArgs = { inputs: Inputs; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

function gatherV2({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  const indices = inputs.indices!;
  if (x.dtype === 'string' || indices.dtype !== 'int32')
    return run(tf.GatherV2, backend, inputs, attrs);
  const { axis, batchDims } = attrs as unknown as tf.GatherV2Attrs;
  const wasm = backend as WasmBackend;
  const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0]!;
  const axisDim = x.shape[parsedAxis]!;
  const ids = wasm.typedArrayFromHeap(indices);
  for (let i = 0; i < ids.length; i++) {
    const index = ids[i]!;
    // The stock kernel's check and message.
    tf.util.assert(
      index <= axisDim - 1 && index >= 0,
      () => `GatherV2: the index value ${index} is not in [0, ${axisDim - 1}]`,
    );
  }
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
    x as tf.Tensor,
    indices as tf.Tensor,
    parsedAxis,
    batchDims,
  );
  const out = wasm.makeOutput(info.outputShape, x.dtype);
  if (tf.util.sizeFromShape(info.outputShape) === 0) return out;
  // Views are taken after makeOutput: a heap that grows detaches the views made before it.
  const source = wasm.typedArrayFromHeap(x);
  const target = wasm.typedArrayFromHeap(out);
  const index = wasm.typedArrayFromHeap(indices);
  const { batchSize, outerSize, dimSize, sliceSize } = info;
  const perBatch = index.length / batchSize;
  let written = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let o = 0; o < outerSize; o++) {
      const base = (b * outerSize + o) * dimSize;
      for (let j = 0; j < perBatch; j++) {
        const from = (base + index[b * perBatch + j]!) * sliceSize;
        target.set(source.subarray(from, from + sliceSize), written);
        written += sliceSize;
      }
    }
  }
  return out;
}

export const gatherKernels: readonly tf.KernelConfig[] = [
  {
    kernelName: tf.GatherV2,
    backendName: 'wasm',
    kernelFunc: gatherV2 as unknown as tf.KernelFunc,
  },
];
