/**
 * Slice and the kernels built on it, re-routed around a slow path of tfjs-backend-wasm 4.22.
 *
 * The stock Slice starts with `backend.readSync(x.dataId)`, which copies the whole input out of the
 * wasm heap before it picks out the slice: taking one batch of 128 rows from a [21120, 784] tensor
 * costs 181 ms instead of microseconds (measured). Unpack (`tf.unstack`, one slice per time step of
 * an RNN), SplitV (`tf.split`) and the contiguous case of StridedSlice call that same function, so
 * unstacking T steps copies the input T times. Here every slice reads the input through a view of
 * the heap and copies only the elements it keeps. String tensors (not on the heap) keep the stock
 * kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Inputs, run, type WasmBackend } from './kernel-call.js';

type KernelArgs = { inputs: Inputs; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/** Copies `x[begin : begin + size]` into a new heap tensor, in runs of contiguous elements. */
function sliceFromHeap(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  begin: number[],
  size: number[],
): tf.TensorInfo {
  const wasm = backend as WasmBackend;
  const out = wasm.makeOutput(size, x.dtype);
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return out;
  // Views are taken after makeOutput: a heap that grows detaches the views made before it.
  const source = wasm.typedArrayFromHeap(x);
  const target = wasm.typedArrayFromHeap(out);
  const rank = x.shape.length;
  if (rank === 0) {
    target.set(source.subarray(0, 1));
    return out;
  }
  const strides = tf.util.computeStrides(x.shape);
  const stride = (axis: number) => (axis < rank - 1 ? strides[axis]! : 1);
  // The trailing axes taken whole form one contiguous run with the first axis that is cut.
  let inner = rank - 1;
  while (inner > 0 && size[inner] === x.shape[inner]) inner--;
  const run = tf.util.sizeFromShape(size.slice(inner));
  const index = new Array<number>(inner).fill(0);
  let base = 0;
  for (let axis = 0; axis < rank; axis++) base += begin[axis]! * stride(axis);
  for (let written = 0; written < total; written += run) {
    let offset = base;
    for (let axis = 0; axis < inner; axis++) offset += index[axis]! * stride(axis);
    target.set(source.subarray(offset, offset + run), written);
    for (let axis = inner - 1; axis >= 0; axis--) {
      if (++index[axis]! < size[axis]!) break;
      index[axis] = 0;
    }
  }
  return out;
}

function slice({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  if (x.dtype === 'string') return run(tf.Slice, backend, inputs, attrs);
  const { begin, size } = attrs as unknown as tf.SliceAttrs;
  const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  // parseSliceParams is typed number[][] though it always returns the pair.
  return sliceFromHeap(backend, x, begin_!, size_!);
}

function unpack({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const value = inputs.value!;
  if (value.dtype === 'string') return [run(tf.Unpack, backend, inputs, attrs)];
  const rank = value.shape.length;
  const { axis: rawAxis } = attrs as unknown as tf.UnpackAttrs;
  const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
  const outShape = value.shape.filter((_, i) => i !== axis);
  const begin = new Array<number>(rank).fill(0);
  const size = [...value.shape];
  size[axis] = 1;
  return Array.from({ length: value.shape[axis]! }, (_, i) => {
    begin[axis] = i;
    const { dataId, dtype } = sliceFromHeap(backend, value, begin, size);
    return { dataId, dtype, shape: outShape };
  });
}

function splitV({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const x = inputs.x!;
  const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
  const $axis = tf.util.parseAxisParam(axis, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[$axis] = s;
    const piece =
      x.dtype === 'string'
        ? run(tf.Slice, backend, { x }, { begin: [...begin], size })
        : sliceFromHeap(backend, x, begin, size);
    begin[$axis]! += s;
    return piece;
  });
}

function stridedSlice({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  const a = attrs as unknown as tf.StridedSliceAttrs;
  const info = tf.slice_util.sliceInfo(
    x.shape,
    a.begin,
    a.end,
    a.strides,
    a.beginMask,
    a.endMask,
    a.ellipsisMask,
    a.newAxisMask,
    a.shrinkAxisMask,
  );
  // The identity and the strided cases never reach the slow Slice; the stock kernel keeps them.
  if (x.dtype === 'string' || info.isIdentity || !(info.sliceDim0 || info.isSimpleSlice))
    return run(tf.StridedSlice, backend, inputs, attrs);
  const size = tf.slice_util
    .computeOutShape(info.begin, info.end, info.strides)
    .map((d) => Math.max(0, d));
  const { dataId, dtype } = sliceFromHeap(backend, x, info.begin, size);
  return { dataId, dtype, shape: info.finalShape };
}

export const sliceKernels: readonly tf.KernelConfig[] = [
  { kernelName: tf.Slice, backendName: 'wasm', kernelFunc: slice as unknown as tf.KernelFunc },
  { kernelName: tf.Unpack, backendName: 'wasm', kernelFunc: unpack as unknown as tf.KernelFunc },
  { kernelName: tf.SplitV, backendName: 'wasm', kernelFunc: splitV as unknown as tf.KernelFunc },
  {
    kernelName: tf.StridedSlice,
    backendName: 'wasm',
    kernelFunc: stridedSlice as unknown as tf.KernelFunc,
  },
];
