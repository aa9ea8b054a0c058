/**
 * Convolution gradients for the wasm engine, composed from its fast kernels.
 *
 * tfjs-backend-wasm has no Conv2DBackpropFilter and no depthwise backprops, and its
 * Conv2DBackpropInput is a scalar loop (522 ms where the same product as an XNNPACK Conv2D takes
 * about 50 ms on a [128,11,11,64] gradient). Here:
 * - filter gradients are im2col products: the input windows are cut out with StridedSlice (one per
 *   filter tap), packed to [rows, taps * inChannels] and multiplied with dy on the XNNPACK path;
 *   batches are processed in chunks so the patch matrix stays under `PATCH_LIMIT` floats;
 * - input gradients are a stride-1 convolution of dy (dilated by the forward stride) with the
 *   spatially flipped filter, on the stock Conv2D / DepthwiseConv2dNative kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  type Inputs,
  matMul,
  release,
  reshape,
  run,
  transpose,
  type WasmBackend,
} from './kernel-call.js';

/** Most floats one im2col patch matrix may hold (64 MiB); larger batches are processed in chunks. */
const PATCH_LIMIT = 16 * 1024 * 1024;

interface Geometry {
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  padTop: number;
  padLeft: number;
  outHeight: number;
  outWidth: number;
}

function geometry(info: tf.backend_util.Conv2DInfo): Geometry {
  return {
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
  };
}

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor.
 * Returns the input itself when nothing changes (check identity before releasing).
 */
function padOrCrop(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.TensorInfo {
  let out = x;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    const t = Math.max(0, -top);
    const l = Math.max(0, -left);
    const size = [n, h - t - Math.max(0, -bottom), w - l - Math.max(0, -right), c];
    out = run('Slice', backend, { x }, { begin: [0, t, l, 0], size });
  }
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    const paddings = [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ];
    const padded = run('PadV2', backend, { x: out }, { paddings, constantValue: 0 });
    if (out !== x) release(backend, out);
    out = padded;
  }
  return out;
}

/** The forward pass's window geometry, as the attributes of a depthwise convolution. */
export interface WindowSpec {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: tf.Conv2DAttrs['pad'];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * im2col in one XNNPACK call: a depthwise convolution of x with a one-hot filter [fH, fW, C, taps]
 * copies window tap k of channel c to output channel c * taps + k, with the forward pass's
 * strides, dilations and padding. Returns [batch, outH, outW, C * taps] (channel-major,
 * tap-minor). Cutting the windows out with the stock Slice and Concat kernels would run in
 * JavaScript one short row at a time, 10-100x slower.
 */
export function windows(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  filterHeight: number,
  filterWidth: number,
  spec: WindowSpec,
): tf.TensorInfo {
  const filter = tapFilter(backend, filterHeight, filterWidth, x.shape[3]!);
  const out = run('DepthwiseConv2dNative', backend, { x, filter }, { ...spec });
  release(backend, filter);
  return out;
}

/**
 * The one-hot depthwise filter [fH, fW, C, taps] that copies window tap k of channel c to output
 * channel c * taps + k (release it).
 */
export function tapFilter(
  backend: tf.KernelBackend,
  filterHeight: number,
  filterWidth: number,
  channels: number,
): tf.TensorInfo {
  const taps = filterHeight * filterWidth;
  const oneHot = new Float32Array(taps * channels * taps);
  for (let k = 0; k < taps; k++) {
    for (let c = 0; c < channels; c++) oneHot[(k * channels + c) * taps + k] = 1;
  }
  return (backend as WasmBackend).makeOutput(
    [filterHeight, filterWidth, channels, taps],
    'float32',
    undefined,
    oneHot,
  );
}

/** How many samples one chunk may hold so its patch matrix stays under PATCH_LIMIT floats. */
function batchChunk(floatsPerSample: number): number {
  return Math.max(1, Math.floor(PATCH_LIMIT / Math.max(1, floatsPerSample)));
}

function sliceBatch(
  backend: tf.KernelBackend,
  t: tf.TensorInfo,
  b0: number,
  b1: number,
): tf.TensorInfo {
  if (b0 === 0 && b1 === t.shape[0]) return reshape(backend, t, t.shape);
  return run(
    'Slice',
    backend,
    { x: t },
    { begin: [b0, 0, 0, 0], size: [b1 - b0, ...t.shape.slice(1)] },
  );
}

function accumulate(
  backend: tf.KernelBackend,
  acc: tf.TensorInfo | undefined,
  part: tf.TensorInfo,
): tf.TensorInfo {
  if (!acc) return part;
  const sum = run('Add', backend, { a: acc, b: part });
  release(backend, acc, part);
  return sum;
}

/**
 * dW [fH, fW, inC, outC] for an NHWC input and NHWC dy, as one XNNPACK convolution: with the batch
 * as the channel axis, dW[kh, kw, c, o] = sum over (b, i, j) of x[b, kh + i*s, kw + j*s, c] *
 * dy[b, i, j, o] is a stride-1 convolution of x^T [inC, H, W, batch] with dy^T [outH, outW, batch,
 * outC] as the filter, dilated by the forward stride. XNNPACK runs it as one GEMM without
 * materialising an im2col matrix.
 */
function conv2DFilterGradNHWC(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: [number, number, number, number],
  g: Geometry,
): tf.TensorInfo {
  const [filterHeight, filterWidth] = filterShape;
  const [, inHeight, inWidth] = x.shape as [number, number, number, number];
  const xT = transpose(backend, x, [3, 1, 2, 0]);
  const dyT = transpose(backend, dy, [1, 2, 0, 3]);
  // Output rows = H + top + bottom - ((outH - 1) * stride + 1) + 1 must equal filterHeight; rows of
  // x that no window reached (negative bottom) give extra output rows, cut off below.
  const bottom = filterHeight - 1 + (g.outHeight - 1) * g.strideHeight + 1 - inHeight - g.padTop;
  const right = filterWidth - 1 + (g.outWidth - 1) * g.strideWidth + 1 - inWidth - g.padLeft;
  const full = run(
    'Conv2D',
    backend,
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [g.padTop, Math.max(0, bottom)],
        [g.padLeft, Math.max(0, right)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [g.strideHeight, g.strideWidth],
      dimRoundingMode: undefined,
    },
  );
  release(backend, xT, dyT);
  let cropped = full;
  if (full.shape[1] !== filterHeight || full.shape[2] !== filterWidth) {
    cropped = run(
      'Slice',
      backend,
      { x: full },
      { begin: [0, 0, 0, 0], size: [full.shape[0]!, filterHeight, filterWidth, full.shape[3]!] },
    );
    release(backend, full);
  }
  const out = transpose(backend, cropped, [1, 2, 0, 3]);
  release(backend, cropped);
  return out;
}

/**
 * dW for inputs with few channels (the first layer on images): im2col with the one-hot depthwise
 * convolution, then patches^T dy on the XNNPACK GEMM path, in batch chunks. With one input channel
 * the convolution form below degenerates to a 9-pixel output and runs 5x slower than this.
 */
function conv2DFilterGradIm2col(
  backend: tf.KernelBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  filterShape: [number, number, number, number],
  spec: WindowSpec,
): tf.TensorInfo {
  const [filterHeight, filterWidth, inChannels, outChannels] = filterShape;
  const [batch, outHeight, outWidth] = dy.shape as [number, number, number, number];
  const taps = filterHeight * filterWidth;
  const columns = taps * inChannels;
  const step = batchChunk(outHeight * outWidth * columns);
  let acc: tf.TensorInfo | undefined;
  for (let b0 = 0; b0 < batch; b0 += step) {
    const b1 = Math.min(batch, b0 + step);
    const rows = (b1 - b0) * outHeight * outWidth;
    const xChunk = sliceBatch(backend, x, b0, b1);
    const dyChunk = sliceBatch(backend, dy, b0, b1);
    const win = windows(backend, xChunk, filterHeight, filterWidth, spec);
    const patches = reshape(backend, win, [rows, columns]);
    const patchesT = transpose(backend, patches, [1, 0]);
    const dy2d = reshape(backend, dyChunk, [rows, outChannels]);
    const part = matMul(backend, patchesT, dy2d);
    release(backend, xChunk, dyChunk, win, patches, patchesT, dy2d);
    acc = accumulate(backend, acc, part);
  }
  // Rows of acc are (channel, tap); the filter wants (tap, channel).
  const split = reshape(backend, acc!, [inChannels, taps, outChannels]);
  const tapMajor = transpose(backend, split, [1, 0, 2]);
  const out = reshape(backend, tapMajor, filterShape);
  release(backend, acc!, split, tapMajor);
  return out;
}

/** Input channels up to which the im2col form of the filter gradient is the faster one. */
const IM2COL_MAX_CHANNELS = 4;

/**
 * dy dilated by the forward stride (stride-1 zeros between rows and columns), with (stride - 1)
 * extra zero rows/columns at the end. Returns dy itself (with a bumped reference) for stride 1.
 */
function dilate(
  backend: tf.KernelBackend,
  dy: tf.TensorInfo,
  strideHeight: number,
  strideWidth: number,
): tf.TensorInfo {
  if (strideHeight === 1 && strideWidth === 1) return reshape(backend, dy, dy.shape);
  const [n, h, w, c] = dy.shape as [number, number, number, number];
  const six = reshape(backend, dy, [n, h, 1, w, 1, c]);
  const spread = run(
    'PadV2',
    backend,
    { x: six },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, strideHeight - 1],
        [0, 0],
        [0, strideWidth - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const out = reshape(backend, spread, [n, h * strideHeight, w * strideWidth, c]);
  release(backend, six, spread);
  return out;
}

/**
 * Pads [before, after] for the stride-1 correlation that turns dy into dx: the dilated dy (of
 * `dilatedLength`, trailing zeros included) must grow to inLength + (filter - 1) * dilation, with
 * (filter - 1) * dilation - padBefore in front. Negative amounts crop.
 */
function backpropPads(
  inLength: number,
  dilatedLength: number,
  filter: number,
  dilation: number,
  padBefore: number,
): [number, number] {
  const effective = (filter - 1) * dilation;
  const before = effective - padBefore;
  return [before, inLength + effective - before - dilatedLength];
}

/** dx for an NHWC dy: stride-1 correlation of the dilated dy with the flipped filter. */
function conv2DInputGradNHWC(
  backend: tf.KernelBackend,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  inputShape: number[],
  g: Geometry,
): tf.TensorInfo {
  const [, inHeight, inWidth] = inputShape as [number, number, number, number];
  const dilated = dilate(backend, dy, g.strideHeight, g.strideWidth);
  const [top, bottom] = backpropPads(inHeight, dilated.shape[1]!, g.filterHeight, 1, g.padTop);
  const [left, right] = backpropPads(inWidth, dilated.shape[2]!, g.filterWidth, 1, g.padLeft);
  const swapped = transpose(backend, filter, [0, 1, 3, 2]);
  const flipped = run('Reverse', backend, { x: swapped }, { dims: [0, 1] });
  let source = dilated;
  let pad: number[][] = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    source = padOrCrop(backend, dilated, top, bottom, left, right);
    pad = [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 0],
    ];
  }
  const out = run(
    'Conv2D',
    backend,
    { x: source, filter: flipped },
    { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined },
  );
  if (source !== dilated) release(backend, source);
  release(backend, dilated, swapped, flipped);
  return out;
}

export type KernelArgs = { inputs: Inputs; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

function toNHWC(backend: tf.KernelBackend, t: tf.TensorInfo): tf.TensorInfo {
  return transpose(backend, t, [0, 2, 3, 1]);
}

function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const channelsFirst = tf.backend_util.convertConv2DDataFormat(dataFormat) === 'channelsFirst';
  const x = channelsFirst ? toNHWC(backend, inputs.x!) : inputs.x!;
  const dy = channelsFirst ? toNHWC(backend, inputs.dy!) : inputs.dy!;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const out =
    filterShape[2] <= IM2COL_MAX_CHANNELS
      ? conv2DFilterGradIm2col(backend, x, dy, filterShape, {
          strides,
          dilations: 1,
          pad,
          dimRoundingMode,
        })
      : conv2DFilterGradNHWC(backend, x, dy, filterShape, geometry(info));
  if (channelsFirst) release(backend, x, dy);
  return out;
}

function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const channelsFirst = tf.backend_util.convertConv2DDataFormat(dataFormat) === 'channelsFirst';
  const shapeNHWC = channelsFirst
    ? [inputShape[0], inputShape[2], inputShape[3], inputShape[1]]
    : [...inputShape];
  const filter = inputs.filter!;
  const info = tf.backend_util.computeConv2DInfo(
    shapeNHWC as [number, number, number, number],
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const dy = channelsFirst ? toNHWC(backend, inputs.dy!) : inputs.dy!;
  const dx = conv2DInputGradNHWC(backend, dy, filter, shapeNHWC, geometry(info));
  if (!channelsFirst) return dx;
  release(backend, dy);
  const out = transpose(backend, dx, [0, 3, 1, 2]);
  release(backend, dx);
  return out;
}

function depthwiseBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const x = inputs.x!;
  const dy = inputs.dy!;
  const [filterHeight, filterWidth, inChannels, multiplier] = filterShape;
  const [batch, outHeight, outWidth] = dy.shape as [number, number, number, number];
  const taps = filterHeight * filterWidth;
  const step = batchChunk(outHeight * outWidth * inChannels * taps * multiplier);
  let acc: tf.TensorInfo | undefined;
  for (let b0 = 0; b0 < batch; b0 += step) {
    const b1 = Math.min(batch, b0 + step);
    const rows = (b1 - b0) * outHeight * outWidth;
    const xChunk = sliceBatch(backend, x, b0, b1);
    const dyChunk = sliceBatch(backend, dy, b0, b1);
    const win = windows(backend, xChunk, filterHeight, filterWidth, {
      strides,
      dilations,
      pad,
      dimRoundingMode,
    });
    const win4 = reshape(backend, win, [rows, inChannels, taps, 1]);
    const dy4 = reshape(backend, dyChunk, [rows, inChannels, 1, multiplier]);
    const products = run('Multiply', backend, { a: win4, b: dy4 });
    const part = run('Sum', backend, { x: products }, { axis: [0], keepDims: false });
    release(backend, xChunk, dyChunk, win, win4, dy4, products);
    acc = accumulate(backend, acc, part);
  }
  const tapMajor = transpose(backend, acc!, [1, 0, 2]);
  const out = reshape(backend, tapMajor, filterShape);
  release(backend, acc!, tapMajor);
  return out;
}

export function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const dy = inputs.dy!;
  const filter = inputs.filter!;
  const [filterHeight, filterWidth, inChannels, multiplier] = filter.shape as [
    number,
    number,
    number,
    number,
  ];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const g = geometry(info);
  const [batch, inHeight, inWidth] = inputShape;
  const dilated = dilate(backend, dy, g.strideHeight, g.strideWidth);
  const [top, bottom] = backpropPads(
    inHeight,
    dilated.shape[1]!,
    filterHeight,
    g.dilationHeight,
    g.padTop,
  );
  const [left, right] = backpropPads(
    inWidth,
    dilated.shape[2]!,
    filterWidth,
    g.dilationWidth,
    g.padLeft,
  );
  const source = padOrCrop(backend, dilated, top, bottom, left, right);
  // Channel c*multiplier+q of dy meets filter[:, :, c, q]: a multiplier-1 depthwise correlation
  // over all inChannels*multiplier channels with the flipped filter, then a sum over q.
  const flat = reshape(backend, filter, [filterHeight, filterWidth, inChannels * multiplier, 1]);
  const flipped = run('Reverse', backend, { x: flat }, { dims: [0, 1] });
  const spread = run(
    'DepthwiseConv2dNative',
    backend,
    { x: source, filter: flipped },
    {
      strides: [1, 1],
      dilations: [g.dilationHeight, g.dilationWidth],
      pad: 'valid',
      dimRoundingMode: undefined,
    },
  );
  if (source !== dilated) release(backend, source);
  release(backend, dilated, flat, flipped);
  if (multiplier === 1) return spread;
  const five = reshape(backend, spread, [batch, inHeight, inWidth, inChannels, multiplier]);
  const out = run('Sum', backend, { x: five }, { axis: [4], keepDims: false });
  release(backend, spread, five);
  return out;
}

export const convBackpropKernels: readonly tf.KernelConfig[] = [
  {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
  },
  {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'wasm',
    kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName: 'wasm',
    kernelFunc: depthwiseBackpropFilter as unknown as tf.KernelFunc,
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: 'wasm',
    kernelFunc: depthwiseBackpropInput as unknown as tf.KernelFunc,
  },
];
