/**
 * MaxPoolGrad for the wasm engine, composed from its fast kernels.
 *
 * The stock kernel is a scalar loop (about 100 ms on a [128,26,26,32] input where the forward pool
 * takes 4 ms). For the common non-overlapping pool (strides equal to the pool size, Keras's
 * default) the windows are a reshape and a transpose away: x is padded with -Infinity to whole
 * windows, laid out as [batch, outH, outW, C, window], the first maximum of each window is found
 * with ArgMax (row-major window order, the cpu engine's tie rule), dy is routed to it through a
 * OneHot mask, and the same reshape and transpose in reverse give dx.
 *
 * MaxPoolWithArgmax + ScatterNd would be shorter, but the stock MaxPoolWithArgmax returns index 0
 * for every window whose maximum is negative (tfjs-backend-wasm 4.22), so it cannot be used.
 *
 * Overlapping windows (a 3x3 stride-2 pool) cannot be reshaped out of x. The stock kernel is wrong
 * there (it drops gradient at window overlaps, found by kernels.test.ts), so the windows are cut
 * out with the im2col depthwise convolution of conv-backprop.ts (x framed with -FLT_MAX first, so
 * padding never wins), the first maximum picked the same way, and the routed dy scattered back by
 * that convolution's adjoint, DepthwiseConv2dNativeBackpropInput.
 */
import * as tf from '@tensorflow/tfjs-core';
import { cpuFallback } from './cpu-fallback.js';
import { depthwiseBackpropInput, tapFilter, windows } from './conv-backprop.js';
import { type Inputs, release, reshape, run, transpose } from './kernel-call.js';

type KernelArgs = { inputs: Inputs; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

function maxPoolGrad(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const input = inputs.input!;
  const dy = inputs.dy!;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const fH = info.filterHeight;
  const fW = info.filterWidth;
  if (input.dtype !== 'float32')
    return cpuFallback(tf.MaxPoolGrad)(
      args as unknown as Parameters<tf.KernelFunc>[0],
    ) as tf.TensorInfo;
  const nonOverlapping = info.strideHeight === fH && info.strideWidth === fW;
  if (!nonOverlapping) return overlappingMaxPoolGrad(backend, input, dy, info);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Whole windows: rows [-top, outHeight * fH - top) of x, -Infinity outside x.
  const bottom = outHeight * fH - top - inHeight;
  const right = outWidth * fW - left - inWidth;
  const framed = frame(backend, input, top, bottom, left, right, Number.NEGATIVE_INFINITY);
  const six = reshape(backend, framed, [batchSize, outHeight, fH, outWidth, fW, inChannels]);
  const windowsLast = transpose(backend, six, [0, 1, 3, 5, 2, 4]);
  const taps = fH * fW;
  const grouped = reshape(backend, windowsLast, [batchSize, outHeight, outWidth, inChannels, taps]);
  const argmax = run(tf.ArgMax, backend, { x: grouped }, { axis: [4] });
  // The stock OneHot writes int32 whatever dtype it is asked for.
  const maskInt = run(
    tf.OneHot,
    backend,
    { indices: argmax },
    { depth: taps, onValue: 1, offValue: 0, dtype: 'int32' },
  );
  const mask = run(tf.Cast, backend, { x: maskInt }, { dtype: 'float32' });
  const dy5 = reshape(backend, dy, [batchSize, outHeight, outWidth, inChannels, 1]);
  const routed = run(tf.Multiply, backend, { a: mask, b: dy5 });
  const routed6 = reshape(backend, routed, [batchSize, outHeight, outWidth, inChannels, fH, fW]);
  const back = transpose(backend, routed6, [0, 1, 4, 2, 5, 3]);
  const full = reshape(backend, back, [batchSize, outHeight * fH, outWidth * fW, inChannels]);
  const out = frame(backend, full, -top, -bottom, -left, -right, 0);
  release(
    backend,
    framed,
    six,
    windowsLast,
    grouped,
    argmax,
    maskInt,
    mask,
    dy5,
    routed,
    routed6,
    back,
    full,
  );
  return out;
}

/** The most negative float32: padding that never wins a window and stays finite in products. */
const LOWEST = -3.4028234663852886e38;

function overlappingMaxPoolGrad(
  backend: tf.KernelBackend,
  input: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    filterHeight,
    filterWidth,
  } = info;
  const { strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Exactly the rows and columns the windows read: (out - 1) * stride + filter of them.
  const framedHeight = (outHeight - 1) * strideHeight + filterHeight;
  const framedWidth = (outWidth - 1) * strideWidth + filterWidth;
  const bottom = framedHeight - top - inHeight;
  const right = framedWidth - left - inWidth;
  const framed = frame(backend, input, top, bottom, left, right, LOWEST);
  const spec = {
    strides: [strideHeight, strideWidth] as [number, number],
    dilations: 1,
    pad: 'valid' as const,
  };
  const win = windows(backend, framed, filterHeight, filterWidth, spec);
  const taps = filterHeight * filterWidth;
  const grouped = reshape(backend, win, [batchSize, outHeight, outWidth, inChannels, taps]);
  const argmax = run(tf.ArgMax, backend, { x: grouped }, { axis: [4] });
  const maskInt = run(
    tf.OneHot,
    backend,
    { indices: argmax },
    { depth: taps, onValue: 1, offValue: 0, dtype: 'int32' },
  );
  const mask = run(tf.Cast, backend, { x: maskInt }, { dtype: 'float32' });
  const dy5 = reshape(backend, dy, [batchSize, outHeight, outWidth, inChannels, 1]);
  const routed = run(tf.Multiply, backend, { a: mask, b: dy5 });
  const routed4 = reshape(backend, routed, [batchSize, outHeight, outWidth, inChannels * taps]);
  const filter = tapFilter(backend, filterHeight, filterWidth, inChannels);
  const full = depthwiseBackpropInput({
    inputs: { dy: routed4, filter },
    backend,
    attrs: {
      ...spec,
      inputShape: [batchSize, framedHeight, framedWidth, inChannels],
    } as unknown as tf.NamedAttrMap,
  });
  const out = frame(backend, full, -top, -bottom, -left, -right, 0);
  release(backend, framed, win, grouped, argmax, maskInt, mask, dy5, routed, routed4, filter, full);
  return out;
}

/**
 * Pads (positive) or crops (negative) the spatial axes of an NHWC tensor, padding with `value`.
 * Always returns a new TensorInfo (release it).
 */
function frame(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
  value: number,
): tf.TensorInfo {
  let out = reshape(backend, x, x.shape);
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const t = Math.max(0, -top);
    const l = Math.max(0, -left);
    const size = [n, h - t - Math.max(0, -bottom), w - l - Math.max(0, -right), c];
    const cropped = run(tf.Slice, backend, { x: out }, { begin: [0, t, l, 0], size });
    release(backend, out);
    out = cropped;
  }
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    const paddings = [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ];
    const padded = run(tf.PadV2, backend, { x: out }, { paddings, constantValue: value });
    release(backend, out);
    out = padded;
  }
  return out;
}

export const poolingKernels: readonly tf.KernelConfig[] = [
  {
    kernelName: tf.MaxPoolGrad,
    backendName: 'wasm',
    kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
  },
];
