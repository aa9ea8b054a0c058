import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors/errors.js';

/** Keras's `data_format` values: where the channel axis sits. */
export type DataFormat = 'channels_last' | 'channels_first';
/** Convolution padding. `causal` (left padding, for temporal models) exists for 1D layers only. */
export type ConvPadding = 'valid' | 'same' | 'causal';
/** Spatial size of a shape (null = unknown). */
type Dim = number | null;

/**
 * Keras's `standardize_tuple`: an int becomes `rank` copies, a list must have `rank` positive
 * integers (zero allowed with `allowZero`).
 */
export function normalizeTuple(
  value: number | readonly number[],
  rank: number,
  argName: string,
  owner: string,
  allowZero = false,
): number[] {
  const tuple = typeof value === 'number' ? new Array<number>(rank).fill(value) : [...value];
  const ok =
    tuple.length === rank &&
    tuple.every((v) => Number.isInteger(v) && (allowZero ? v >= 0 : v > 0));
  if (!ok) {
    throw new ValueError(
      `${owner}: argument ${argName} must be an integer or a list of ${rank} ${
        allowZero ? 'non-negative' : 'positive'
      } integers. Received: ${argName}=${JSON.stringify(value)}.`,
    );
  }
  return tuple;
}

/** Validates a padding string; `causal` only where allowed. */
export function normalizePadding(
  padding: string,
  owner: string,
  allowCausal: boolean,
): ConvPadding {
  const p = padding.toLowerCase();
  const allowed = allowCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'];
  if (!allowed.includes(p)) {
    throw new ValueError(
      `${owner}: argument padding must be one of ${allowed.map((a) => `'${a}'`).join(', ')}. Received: padding='${padding}'.`,
    );
  }
  return p as ConvPadding;
}

/** Validates `data_format`. */
export function normalizeDataFormat(dataFormat: string, owner: string): DataFormat {
  if (dataFormat !== 'channels_last' && dataFormat !== 'channels_first') {
    throw new ValueError(
      `${owner}: argument dataFormat must be 'channels_last' or 'channels_first'. Received: dataFormat='${dataFormat}'.`,
    );
  }
  return dataFormat;
}

/** Size of a kernel of size `k` dilated by `d`. */
export function effectiveKernelSize(k: number, d: number): number {
  return (k - 1) * d + 1;
}

/** Output length of a convolution or pooling window sweep (TensorFlow's rule). */
export function convOutputLength(
  length: Dim,
  kernel: number,
  padding: ConvPadding,
  stride: number,
  dilation = 1,
): Dim {
  if (length === null) return null;
  const k = effectiveKernelSize(kernel, dilation);
  if (padding === 'valid') return Math.floor((length - k) / stride) + 1;
  return Math.ceil(length / stride);
}

/** Keras's `deconv_output_length`: output length of a transposed convolution. */
export function deconvOutputLength(
  length: Dim,
  kernel: number,
  padding: 'valid' | 'same',
  stride: number,
  dilation = 1,
  outputPadding: number | null = null,
): Dim {
  if (length === null) return null;
  const k = effectiveKernelSize(kernel, dilation);
  if (outputPadding === null) {
    return padding === 'valid' ? length * stride + Math.max(k - stride, 0) : length * stride;
  }
  const pad = padding === 'same' ? Math.floor(k / 2) : 0;
  return (length - 1) * stride + k - 2 * pad + outputPadding;
}

/** Moves the channel axis of a channels-first tensor to the end. */
export function toChannelsLast(x: tf.Tensor): tf.Tensor {
  const perm = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1];
  return tf.transpose(x, perm);
}

/** Moves the last (channel) axis of a channels-last tensor to position 1. */
export function toChannelsFirst(x: tf.Tensor): tf.Tensor {
  const perm = [0, x.rank - 1, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 1)];
  return tf.transpose(x, perm);
}

/**
 * TensorFlow's 'same' padding of one axis: `[before, after]`, the odd element going at the end.
 */
export function samePadding(
  length: number,
  kernel: number,
  stride: number,
  dilation = 1,
): [number, number] {
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + effectiveKernelSize(kernel, dilation) - length, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Spreads axes `firstAxis ..< firstAxis + factors.length` of t: `factor - 1` zeros between
 * neighbouring elements (size n becomes (n - 1) * factor + 1). Differentiable (pad/reshape/slice).
 */
export function spreadAxes(t: tf.Tensor, factors: readonly number[], firstAxis: number): tf.Tensor {
  if (factors.every((f) => f === 1)) return t;
  return tf.tidy(() => {
    let k = t;
    factors.forEach((factor, i) => {
      if (factor === 1) return;
      const axis = firstAxis + i;
      const size = k.shape[axis] as number;
      const expanded = tf.expandDims(k, axis + 1);
      const padding = expanded.shape.map((_, a): [number, number] =>
        a === axis + 1 ? [0, factor - 1] : [0, 0],
      );
      const merged = [...k.shape];
      merged[axis] = size * factor;
      const sliceSize = [...k.shape];
      sliceSize[axis] = effectiveKernelSize(size, factor);
      k = tf.slice(
        tf.reshape(tf.pad(expanded, padding), merged),
        new Array<number>(k.rank).fill(0),
        sliceSize,
      );
    });
    return k;
  });
}

/**
 * Inserts `dilation - 1` zeros between the taps of the spatial (leading) axes of a kernel. A
 * dilated convolution equals a plain convolution with this kernel; unlike tfjs's own `dilations`
 * argument it is differentiable (tfjs has no gradient for dilated conv2d/depthwise/conv3d).
 */
export function dilateKernel(kernel: tf.Tensor, dilations: readonly number[]): tf.Tensor {
  return spreadAxes(kernel, dilations, 0);
}

/** Options of the channels-last convolution helpers (spatial tuples of the layer's rank). */
export interface ConvOptions {
  strides: readonly number[];
  padding: ConvPadding;
  dilations: readonly number[];
}

/** Left-pads the spatial axes of a channels-last x for causal convolution; padding becomes valid. */
function applyCausal(x: tf.Tensor, kernelSize: readonly number[], options: ConvOptions): tf.Tensor {
  const pads = x.shape.map((_, i): [number, number] => {
    if (i === 0 || i === x.rank - 1) return [0, 0];
    const k = kernelSize[i - 1] as number;
    return [effectiveKernelSize(k, options.dilations[i - 1] as number) - 1, 0];
  });
  return tf.pad(x, pads);
}

/**
 * N-D convolution (N = 1, 2, 3) of a channels-last x with a Keras kernel
 * `[...kernelSize, in / groups, filters]`; `groups` > 1 convolves channel groups separately.
 */
export function convolve(
  x: tf.Tensor,
  kernel: tf.Tensor,
  options: ConvOptions,
  groups = 1,
): tf.Tensor {
  return tf.tidy(() => {
    const rank = x.rank - 2;
    const kernelSize = kernel.shape.slice(0, rank);
    let input = x;
    const padding: 'valid' | 'same' = options.padding === 'same' ? 'same' : 'valid';
    if (options.padding === 'causal') input = applyCausal(x, kernelSize, options);
    const k = dilateKernel(kernel, options.dilations);
    const one = (xi: tf.Tensor, ki: tf.Tensor): tf.Tensor => {
      if (rank === 1) {
        const y = tf.conv2d(
          tf.expandDims(xi, 1) as tf.Tensor4D,
          tf.expandDims(ki, 0) as tf.Tensor4D,
          [1, options.strides[0] as number],
          padding,
        );
        return tf.squeeze(y, [1]);
      }
      if (rank === 2) {
        return tf.conv2d(
          xi as tf.Tensor4D,
          ki as tf.Tensor4D,
          options.strides as [number, number],
          padding,
        );
      }
      return tf.conv3d(
        xi as tf.Tensor5D,
        ki as tf.Tensor5D,
        options.strides as [number, number, number],
        padding,
      );
    };
    if (groups === 1) return one(input, k);
    const xs = tf.split(input, groups, -1);
    const ks = tf.split(k, groups, -1);
    return tf.concat(
      xs.map((xi, i) => one(xi, ks[i] as tf.Tensor)),
      -1,
    );
  });
}

/**
 * Depthwise N-D convolution (N = 1, 2) of a channels-last x with a Keras depthwise kernel
 * `[...kernelSize, in, depthMultiplier]`; output channel `c * depthMultiplier + m`.
 */
export function depthwiseConvolve(
  x: tf.Tensor,
  kernel: tf.Tensor,
  options: ConvOptions,
): tf.Tensor {
  return tf.tidy(() => {
    const rank = x.rank - 2;
    const kernelSize = kernel.shape.slice(0, rank);
    let input = x;
    const padding: 'valid' | 'same' = options.padding === 'same' ? 'same' : 'valid';
    if (options.padding === 'causal') input = applyCausal(x, kernelSize, options);
    const k = dilateKernel(kernel, options.dilations);
    if (rank === 1) {
      const y = tf.depthwiseConv2d(
        tf.expandDims(input, 1) as tf.Tensor4D,
        tf.expandDims(k, 0) as tf.Tensor4D,
        [1, options.strides[0] as number],
        padding,
      );
      return tf.squeeze(y, [1]);
    }
    return tf.depthwiseConv2d(
      input as tf.Tensor4D,
      k as tf.Tensor4D,
      options.strides as [number, number],
      padding,
    );
  });
}

/**
 * Transposed N-D convolution (N = 1, 2, 3) of a channels-last x with a Keras kernel
 * `[...kernelSize, filters, in]`, producing the spatial size `outputSpatial` (Keras's rule,
 * `deconvOutputLength`); TensorFlow's padding placement follows from that size.
 */
export function convolveTranspose(
  x: tf.Tensor,
  kernel: tf.Tensor,
  outputSpatial: readonly number[],
  options: ConvOptions,
): tf.Tensor {
  return tf.tidy(() => {
    const rank = x.rank - 2;
    const batch = x.shape[0] as number;
    const filters = kernel.shape[rank] as number;
    const padding: 'valid' | 'same' = options.padding === 'same' ? 'same' : 'valid';
    const k = dilateKernel(kernel, options.dilations);
    if (rank === 1) {
      const y = tf.conv2dTranspose(
        tf.expandDims(x, 1) as tf.Tensor4D,
        tf.expandDims(k, 0) as tf.Tensor4D,
        [batch, 1, outputSpatial[0] as number, filters],
        [1, options.strides[0] as number],
        padding,
      );
      return tf.squeeze(y, [1]);
    }
    if (rank === 2) {
      return tf.conv2dTranspose(
        x as tf.Tensor4D,
        k as tf.Tensor4D,
        [batch, outputSpatial[0] as number, outputSpatial[1] as number, filters],
        options.strides as [number, number],
        padding,
      );
    }
    // wasm's Conv3DBackpropInputV2 (behind tf.conv3dTranspose) returns wrong values in tfjs 4.22,
    // so the 3D case runs as the equivalent forward convolution (see transposeAsConvolution).
    return transposeAsConvolution(x, k, outputSpatial, options);
  });
}

/**
 * A transposed convolution written as a forward one: spread x by the strides (zeros between
 * elements), pad it so that a stride-1 'valid' correlation with the spatially flipped kernel
 * (in/out swapped) yields exactly the `outputSpatial` window TensorFlow's padding selects.
 */
function transposeAsConvolution(
  x: tf.Tensor,
  dilatedKernel: tf.Tensor,
  outputSpatial: readonly number[],
  options: ConvOptions,
): tf.Tensor {
  return tf.tidy(() => {
    const rank = x.rank - 2;
    const spread = spreadAxes(x, options.strides, 1);
    const pads: [number, number][] = [[0, 0]];
    const begin: number[] = [0];
    const size: number[] = [-1];
    for (let i = 0; i < rank; i++) {
      const n = x.shape[i + 1] as number;
      const s = options.strides[i] as number;
      const k = dilatedKernel.shape[i] as number;
      const out = outputSpatial[i] as number;
      const crop =
        options.padding === 'same' ? Math.floor(Math.max((n - 1) * s + k - out, 0) / 2) : 0;
      const before = k - 1 - crop;
      const after = out - (n - 1) * s - 1 + crop;
      pads.push([Math.max(before, 0), Math.max(after, 0)]);
      begin.push(Math.max(-before, 0));
      size.push(out + k - 1);
    }
    pads.push([0, 0]);
    begin.push(0);
    size.push(-1);
    const padded = tf.slice(tf.pad(spread, pads), begin, size);
    const spatialAxes = Array.from({ length: rank }, (_, i) => i);
    const flipped = tf.transpose(tf.reverse(dilatedKernel, spatialAxes), [
      ...spatialAxes,
      rank + 1,
      rank,
    ]);
    return convolve(padded, flipped, {
      strides: new Array<number>(rank).fill(1),
      padding: 'valid',
      dilations: new Array<number>(rank).fill(1),
    });
  });
}
