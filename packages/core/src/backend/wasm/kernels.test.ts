/**
 * Every kernel Cornu registers or re-routes on the wasm engine, and the stock wasm kernels the Keras
 * layer families train through: op value and gradients on wasm against the cpu engine, with the
 * same inputs, to 1e-4 relative.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tfDirect from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../index.js';
import { ready } from '../backend.js';
import { CPU_FALLBACK_KERNELS, UNSUPPORTED_ON_WASM, wasmKernelRoutes } from './install.js';

type T = tf.Tensor;

interface InputSpec {
  shape: number[];
  /** Integer inputs are drawn from [0, high) and never differentiated. */
  int?: { high: number };
  /** Fixed values (indices, ids). */
  values?: number[];
  /** Keeps float inputs away from zero (for reciprocal, mod, ...). */
  positive?: boolean;
}

interface Case {
  name: string;
  /** Kernels the wasm run must execute (checked with tf.profile). */
  kernels: string[];
  inputs: InputSpec[];
  f: (...xs: T[]) => T;
  /** Differentiate with respect to the float inputs (default true). */
  grad?: boolean;
}

/** Deterministic values in [-1, 1) (mulberry32). */
function randomValues(size: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

function makeInputs(specs: InputSpec[], seed: number): T[] {
  return specs.map((spec, i) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.values) return tf.tensor(spec.values, spec.shape, spec.int ? 'int32' : 'float32');
    const values = randomValues(size, seed * 31 + i);
    if (spec.int)
      return tf.tensor(
        Array.from(values, (v) => Math.floor(((v + 1) / 2) * spec.int!.high)),
        spec.shape,
        'int32',
      );
    if (spec.positive)
      return tf.tensor(
        Array.from(values, (v) => 0.5 + Math.abs(v)),
        spec.shape,
      );
    return tf.tensor(values, spec.shape);
  });
}

interface Outcome {
  value: tf.TypedArray | string[];
  grads: tf.TypedArray[];
}

function runCase(c: Case, seed: number): Outcome {
  let out: Outcome | undefined;
  tf.tidy(() => {
    const xs = makeInputs(c.inputs, seed);
    const value = c.f(...xs);
    out = { value: value.dataSync() as tf.TypedArray | string[], grads: [] };
    if (c.grad === false) return;
    const floatIdx = xs
      .map((x, i) => (x.dtype === 'float32' && !c.inputs[i]!.int ? i : -1))
      .filter((i) => i >= 0);
    const dy = tf.tensor(randomValues(Math.max(1, value.size), seed + 7), value.shape);
    const grads = tf.grads((...vars: T[]) => {
      const all = [...xs];
      floatIdx.forEach((idx, k) => {
        all[idx] = vars[k]!;
      });
      return c.f(...all);
    })(
      floatIdx.map((i) => xs[i]!),
      dy,
    );
    out.grads = grads.map((g) => g.dataSync() as tf.TypedArray);
  });
  return out!;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  let sq = 0;
  for (let i = 0; i < expected.length; i++) sq += expected[i]! ** 2;
  const rms = Math.sqrt(sq / Math.max(1, expected.length));
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    const tolerance = 1e-4 * (Math.abs(e) + rms) + 1e-7;
    if (!(Math.abs(a - e) <= tolerance)) {
      throw new Error(
        `${label}: element ${i} is ${a} on wasm and ${e} on cpu (tolerance ${tolerance}).`,
      );
    }
  }
}

const f32 = (...shape: number[]): InputSpec => ({ shape });
const C = (x: T) => x as tf.Tensor4D;

const cases: Case[] = [
  // Convolutions: Conv2DBackpropFilter (both forms), Conv2DBackpropInput.
  {
    name: 'conv2d valid, 3 input channels (im2col filter gradient)',
    kernels: ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'],
    inputs: [f32(2, 7, 7, 3), f32(3, 3, 3, 4)],
    f: (x, w) => tf.conv2d(C(x), C(w), 1, 'valid'),
  },
  {
    name: 'conv2d same, stride 2, 5 input channels (convolution filter gradient)',
    kernels: ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'],
    inputs: [f32(2, 8, 9, 5), f32(3, 3, 5, 6)],
    f: (x, w) => tf.conv2d(C(x), C(w), 2, 'same'),
  },
  {
    name: 'conv2d explicit padding, strides [2, 1]',
    kernels: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
    inputs: [f32(2, 7, 6, 6), f32(2, 3, 6, 3)],
    f: (x, w) =>
      tf.conv2d(
        C(x),
        C(w),
        [2, 1],
        [
          [0, 0],
          [1, 2],
          [2, 0],
          [0, 0],
        ],
      ),
  },
  {
    name: 'conv2d valid, stride 3 with unread trailing rows',
    kernels: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
    inputs: [f32(1, 10, 11, 6), f32(3, 3, 6, 2)],
    f: (x, w) => tf.conv2d(C(x), C(w), 3, 'valid'),
  },
  {
    name: 'conv2d same, stride 2, one input channel',
    kernels: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
    inputs: [f32(3, 9, 9, 1), f32(3, 3, 1, 8)],
    f: (x, w) => tf.conv2d(C(x), C(w), 2, 'same'),
  },
  {
    name: 'conv2d 1x1',
    kernels: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
    inputs: [f32(2, 4, 4, 8), f32(1, 1, 8, 3)],
    f: (x, w) => tf.conv2d(C(x), C(w), 1, 'valid'),
  },
  {
    name: 'conv1d same, stride 2',
    kernels: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
    inputs: [f32(2, 10, 4), f32(3, 4, 5)],
    f: (x, w) => tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 2, 'same'),
  },
  {
    name: 'conv2dTranspose same, stride 2',
    kernels: ['Conv2DBackpropInput', 'Conv2D', 'Conv2DBackpropFilter'],
    inputs: [f32(2, 5, 5, 6), f32(3, 3, 3, 6)],
    f: (x, w) => tf.conv2dTranspose(C(x), C(w), [2, 10, 10, 3], 2, 'same'),
  },
  {
    name: 'depthwiseConv2d same, multiplier 1',
    kernels: [
      'DepthwiseConv2dNative',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
    ],
    inputs: [f32(2, 7, 7, 4), f32(3, 3, 4, 1)],
    f: (x, w) => tf.depthwiseConv2d(C(x), C(w), 1, 'same'),
  },
  {
    name: 'depthwiseConv2d valid, stride 2, multiplier 2',
    kernels: ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'],
    inputs: [f32(2, 9, 8, 3), f32(3, 3, 3, 2)],
    f: (x, w) => tf.depthwiseConv2d(C(x), C(w), 2, 'valid'),
  },
  {
    name: 'separableConv2d same',
    kernels: ['DepthwiseConv2dNativeBackpropFilter', 'Conv2DBackpropFilter'],
    inputs: [f32(2, 8, 8, 3), f32(3, 3, 3, 2), f32(1, 1, 6, 5)],
    f: (x, d, p) => tf.separableConv2d(C(x), C(d), C(p), 1, 'same'),
  },
  {
    name: 'conv3d valid stride 2 (backprops: cpu engine, the stock ones are wrong)',
    kernels: ['Conv3D', 'Conv3DBackpropFilterV2', 'Conv3DBackpropInputV2'],
    inputs: [f32(1, 5, 6, 5, 2), f32(2, 2, 2, 2, 3)],
    f: (x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 2, 'valid'),
  },
  {
    name: 'conv3d same',
    kernels: ['Conv3D', 'Conv3DBackpropFilterV2', 'Conv3DBackpropInputV2'],
    inputs: [f32(1, 5, 5, 5, 2), f32(2, 2, 2, 2, 3)],
    f: (x, w) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, 'same'),
  },
  // Pooling.
  {
    name: 'maxPool 2x2 stride 2',
    kernels: ['MaxPool', 'MaxPoolGrad'],
    inputs: [f32(2, 6, 6, 3)],
    f: (x) => tf.maxPool(C(x), 2, 2, 'valid'),
  },
  {
    name: 'maxPool 3x3 stride 2 same (overlapping windows)',
    kernels: ['MaxPoolGrad'],
    inputs: [f32(2, 7, 7, 2)],
    f: (x) => tf.maxPool(C(x), 3, 2, 'same'),
  },
  {
    name: 'maxPool 3x3 stride 1 same and 3x2 strides [2, 1] valid on negative inputs',
    kernels: ['MaxPoolGrad'],
    inputs: [f32(2, 6, 7, 3)],
    f: (x) => {
      const negative = C(x).sub(2) as tf.Tensor4D;
      return tf
        .maxPool(negative, 3, 1, 'same')
        .sum()
        .add(tf.maxPool(negative, [3, 2], [2, 1], 'valid').square().sum());
    },
  },
  {
    name: 'avgPool 2x2 and 3x3 same (stock)',
    kernels: ['AvgPool', 'AvgPoolGrad'],
    inputs: [f32(2, 6, 6, 3)],
    f: (x) =>
      tf
        .avgPool(C(x), 2, 2, 'valid')
        .sum()
        .add(tf.avgPool(C(x), 3, 1, 'same').sum()),
  },
  {
    name: 'maxPool3d and avgPool3d (stock)',
    kernels: ['MaxPool3DGrad', 'AvgPool3DGrad'],
    inputs: [f32(1, 4, 4, 4, 2)],
    f: (x) =>
      tf
        .maxPool3d(x as tf.Tensor5D, 2, 2, 'valid')
        .sum()
        .add(tf.avgPool3d(x as tf.Tensor5D, 2, 1, 'same').sum()),
  },
  // Products.
  {
    name: 'matMul, all four transpose combinations',
    kernels: ['BatchMatMul'],
    inputs: [f32(5, 7), f32(7, 3), f32(7, 5), f32(3, 7)],
    f: (a, b, aT, bT) =>
      tf.addN([
        tf.matMul(a!, b!),
        tf.matMul(aT!, b!, true, false),
        tf.matMul(a!, bT!, false, true),
        tf.matMul(aT!, bT!, true, true),
      ]),
  },
  {
    name: 'batched matMul with a transposed batch ([2,4,5] x [2,3,5]^T)',
    kernels: ['BatchMatMul'],
    inputs: [f32(2, 4, 5), f32(2, 3, 5)],
    f: (a, c) => tf.matMul(a!, c!, false, true),
  },
  {
    // tfjs's BatchMatMul gradient cannot reduce a broadcast batch, on any engine: value only.
    name: 'batched matMul folded into one product ([2,4,5] x [5,3])',
    kernels: ['BatchMatMul'],
    inputs: [f32(2, 4, 5), f32(5, 3)],
    f: (a, b) => tf.matMul(a!, b!),
    grad: false,
  },
  {
    name: 'sum over leading axes (bias gradients: a product with ones) and over other axes (stock)',
    kernels: ['Sum'],
    inputs: [f32(3, 4, 5, 6), f32(16, 7)],
    f: (x, m) =>
      tf.addN([
        tf.sum(x!, [0, 1, 2]).mul(tf.range(1, 7)).sum(),
        tf.sum(x!, [1, 0], true).square().sum(),
        tf.sum(m!, 0).mul(tf.range(0, 7)).sum(),
        tf.sum(x!, [1, 3]).square().sum(),
        tf.sum(m!).mul(3),
      ]),
  },
  {
    name: 'oneHot float32 (stock kernel writes int32)',
    kernels: ['OneHot'],
    inputs: [{ shape: [4], int: { high: 5 }, values: [4, 0, 2, 2] }],
    f: (i) => tf.oneHot(i as tf.Tensor1D, 5, 3, -1, 'float32'),
    grad: false,
  },
  {
    name: 'maxPool ties go to the first maximum (relu zeros), with same padding',
    kernels: ['MaxPoolGrad'],
    inputs: [f32(2, 5, 7, 3)],
    f: (x) => tf.maxPool(C(x).relu() as tf.Tensor4D, 2, 2, 'same'),
  },
  {
    name: 'fused matMul with bias and relu, transposed operands',
    kernels: ['_FusedMatMul'],
    inputs: [f32(6, 4), f32(3, 6), f32(3)],
    f: (a, b, bias) =>
      tf.fused.matMul({
        a: a!,
        b: b!,
        transposeA: true,
        transposeB: true,
        bias,
        activation: 'relu',
      }),
  },
  // Gather and segment sums (Embedding).
  {
    name: 'gather rows (gradient: UnsortedSegmentSum)',
    kernels: ['GatherV2', 'UnsortedSegmentSum'],
    inputs: [f32(6, 4), { shape: [7], int: { high: 6 }, values: [0, 5, 2, 2, 3, 0, 5] }],
    f: (x, i) => tf.gather(x!, i!),
  },
  {
    name: 'gather along axis 1',
    kernels: ['UnsortedSegmentSum'],
    inputs: [f32(3, 5, 2), { shape: [4], int: { high: 5 }, values: [4, 1, 1, 0] }],
    f: (x, i) => tf.gather(x!, i!, 1),
  },
  {
    name: 'gather with 2-D indices, batchDims 1, and of int32 values',
    kernels: ['GatherV2'],
    inputs: [
      f32(2, 5, 3),
      { shape: [2, 3], int: { high: 5 }, values: [4, 0, 4, 1, 3, 2] },
      { shape: [2, 2], int: { high: 3 }, values: [2, 0, 1, 1] },
    ],
    f: (x, i, k) =>
      tf.concat([
        tf.gather(x!, i!, 1, 1).flatten(),
        tf.gather(x!, k!, 2).flatten(),
        tf
          .gather(tf.range(0, 12, 1, 'int32').reshape([4, 3]), k!)
          .toFloat()
          .flatten(),
      ]),
  },
  {
    name: 'unsortedSegmentSum with ids in range',
    kernels: ['UnsortedSegmentSum'],
    inputs: [f32(6, 3), { shape: [6], int: { high: 4 }, values: [3, 0, 1, 3, 3, 0] }],
    f: (x, ids) => tf.unsortedSegmentSum(x!, ids as tf.Tensor1D, 4),
  },
  {
    name: 'unsortedSegmentSum drops out-of-range ids (cpu fallback path)',
    kernels: ['UnsortedSegmentSum'],
    inputs: [f32(5, 2), { shape: [5], int: { high: 3 }, values: [2, -1, 0, 7, 2] }],
    f: (x, ids) => tf.unsortedSegmentSum(x!, ids as tf.Tensor1D, 3),
    grad: false,
  },
  // Normalisation and the rest of the layer families' kernels (stock wasm).
  {
    name: 'batchNorm (FusedBatchNorm)',
    kernels: ['FusedBatchNorm'],
    inputs: [f32(2, 3, 3, 4), f32(4), { shape: [4], positive: true }, f32(4), f32(4)],
    f: (x, mean, variance, offset, scale) =>
      tf.batchNorm(x!, mean!, variance!, offset, scale, 1e-3),
  },
  {
    name: 'localResponseNormalization (LRN, LRNGrad)',
    kernels: ['LRN', 'LRNGrad'],
    inputs: [f32(1, 3, 3, 6)],
    f: (x) => tf.localResponseNormalization(C(x), 2, 1, 1e-2, 0.75),
  },
  {
    // Square input: the cpu engine's ResizeBilinearGrad swaps height and width (tfjs 4.22), so a
    // non-square input is checked by the adjoint identity in its own test below.
    name: 'resizeBilinear and resizeNearestNeighbor (square input)',
    kernels: [
      'ResizeBilinear',
      'ResizeBilinearGrad',
      'ResizeNearestNeighbor',
      'ResizeNearestNeighborGrad',
    ],
    inputs: [f32(2, 4, 4, 2)],
    f: (x) =>
      (tf.image.resizeBilinear(C(x), [5, 7]).sum() as T).add(
        tf.image.resizeNearestNeighbor(C(x), [6, 8]).mul(2).sum(),
      ),
  },
  {
    name: 'dilation2d same (cpu engine: the stock forward pads with zeros)',
    kernels: ['Dilation2D', 'Dilation2DBackpropInput', 'Dilation2DBackpropFilter'],
    inputs: [f32(1, 5, 5, 2), f32(2, 2, 2)],
    f: (x, w) => tf.dilation2d(x as tf.Tensor4D, w as tf.Tensor3D, 1, 'same'),
  },
  {
    name: 'cumsum, mirrorPad, pad, tile, reverse, concat',
    kernels: ['Cumsum', 'MirrorPad', 'PadV2', 'Tile', 'Reverse', 'Concat'],
    inputs: [f32(3, 4)],
    f: (x) =>
      tf.addN([
        tf.cumsum(x!, 1).sum(),
        tf
          .mirrorPad(
            x as tf.Tensor2D,
            [
              [1, 1],
              [2, 0],
            ],
            'reflect',
          )
          .square()
          .sum(),
        tf
          .pad(x!, [
            [1, 0],
            [0, 2],
          ])
          .sum(),
        tf
          .tile(x!, [2, 1])
          .mul(tf.range(0, 24).reshape([6, 4]))
          .sum(),
        tf
          .reverse(x!, 1)
          .mul(tf.range(0, 12).reshape([3, 4]))
          .sum(),
        tf.concat([x!, x!.square()], 1).sum(),
      ]),
  },
  {
    name: 'activations: logSoftmax, softmax, erf, selu, elu, relu6, softplus, leakyRelu, prelu',
    kernels: [
      'Softmax',
      'Erf',
      'Selu',
      'Elu',
      'EluGrad',
      'Relu6',
      'Softplus',
      'LeakyRelu',
      'Prelu',
    ],
    inputs: [f32(4, 5), f32(5)],
    f: (x, alpha) =>
      tf.addN([
        tf.logSoftmax(x!).mul(x!),
        tf.softmax(x!).mul(x!),
        tf.erf(x!),
        tf.selu(x!),
        tf.elu(x!),
        tf.relu6(x!.mul(8)),
        tf.softplus(x!),
        tf.leakyRelu(x!, 0.3),
        tf.prelu(x!, alpha!),
      ]),
  },
  {
    name: 'reciprocal, mod, pow, atan2, sqrt',
    kernels: ['Reciprocal', 'Mod', 'Pow', 'Atan2', 'Sqrt'],
    inputs: [
      { shape: [3, 4], positive: true },
      { shape: [3, 4], positive: true },
    ],
    f: (a, b) =>
      tf.addN([
        tf.reciprocal(a!),
        tf.mod(a!.mul(3), b!),
        tf.pow(a!, b!),
        tf.atan2(a!, b!),
        tf.sqrt(a!),
      ]),
  },
  {
    // tfjs registers no GatherNd, ScatterNd or TensorScatterUpdate gradient on any engine: value
    // only. TensorScatterUpdate runs last: the cpu engine's one also overwrites its input x.
    name: 'gatherND, scatterND and tensorScatterUpdate (forward)',
    kernels: ['GatherNd', 'ScatterNd', 'TensorScatterUpdate'],
    inputs: [f32(4, 3), { shape: [2, 1], int: { high: 4 }, values: [3, 1] }, f32(2, 3)],
    f: (x, idx, upd) => {
      const gathered = tf.gatherND(x!, idx!);
      const scattered = tf.scatterND(idx!, upd!, [4, 3]);
      return tf.concat([
        gathered.reshape([-1]),
        scattered.reshape([-1]),
        tf.tensorScatterUpdate(x!, idx!, upd!).reshape([-1]),
      ]);
    },
    grad: false,
  },
  {
    // Slice (gradient: Pad) read through a heap view: contiguous, inner-axis and rank-5 cuts.
    name: 'slice: leading rows, inner blocks, a rank-5 cut, a single element',
    kernels: ['Slice'],
    inputs: [f32(4, 3, 5), f32(2, 3, 2, 4, 3)],
    f: (x, y) =>
      tf.concat([
        tf.slice(x!, [1, 0, 0], [2, 3, 5]).flatten(),
        tf.slice(x!, [0, 1, 2], [4, 2, 3]).flatten(),
        tf.slice(x!, [3, 2, 4], [1, 1, 1]).flatten(),
        tf.slice(y!, [1, 0, 1, 1, 0], [1, 3, 1, 2, 3]).flatten(),
        tf.slice(y!, [0, 1, 0, 0, 1], [2, 2, 2, 4, 2]).flatten(),
      ]),
  },
  {
    name: 'unstack and split (Unpack, SplitV) on inner axes, and an int32 slice',
    kernels: ['Unpack', 'SplitV'],
    inputs: [f32(2, 4, 3)],
    f: (x) =>
      tf.concat([
        ...tf.unstack(x!, 1).map((t) => t.flatten()),
        ...tf.unstack(x!, 2).map((t) => t.mul(2).flatten()),
        ...tf.split(x!, [1, 2, 1], 1).map((t) => t.flatten()),
        ...tf.split(x!, 3, 2).map((t) => t.flatten()),
        tf
          .slice(tf.range(0, 24, 1, 'int32').reshape([4, 6]), [1, 2], [2, 3])
          .toFloat()
          .flatten(),
      ]),
  },
  {
    name: 'stridedSlice, contiguous (a slice) and with shrinking axes (forward)',
    kernels: ['StridedSlice'],
    inputs: [f32(4, 3, 5)],
    f: (x) =>
      tf.concat([
        tf.stridedSlice(x!, [1, 0, 0], [3, 3, 5], [1, 1, 1]).flatten(),
        tf.stridedSlice(x!, [2, 0, 0], [3, 3, 5], [1, 1, 1], 0, 0, 0, 0, 1).flatten(),
        tf.stridedSlice(x!, [0, 1, 0], [4, 2, 5], [1, 1, 1], 0, 0, 0, 0, 2).flatten(),
      ]),
    grad: false,
  },
  {
    // tfjs registers no StridedSlice gradient on any engine: value only.
    name: 'stridedSlice (forward)',
    kernels: ['StridedSlice'],
    inputs: [f32(3, 4)],
    f: (x) => tf.stridedSlice(x!, [0, 1], [3, 4], [2, 2]),
    grad: false,
  },
  {
    name: 'topk values (forward)',
    kernels: ['TopK'],
    inputs: [f32(3, 6)],
    f: (x) => tf.topk(x!, 3).values,
    grad: false,
  },
  // cpu fallbacks.
  {
    name: 'einsum (cpu fallback)',
    kernels: ['Einsum'],
    inputs: [f32(2, 3, 4), f32(4, 5)],
    f: (a, b) => tf.einsum('bij,jk->bik', a!, b!),
    grad: false,
  },
  {
    name: 'raggedRange (cpu fallback)',
    kernels: ['RaggedRange'],
    inputs: [
      { shape: [3], int: { high: 9 }, values: [0, 5, 2] },
      { shape: [3], int: { high: 9 }, values: [3, 9, 2] },
      { shape: [3], int: { high: 9 }, values: [1, 2, 1] },
    ],
    f: (s, l, d) => {
      const { rtNestedSplits, rtDenseValues } = tf.raggedRange(s!, l!, d!);
      return tf.concat([rtNestedSplits!, rtDenseValues!]);
    },
    grad: false,
  },
  {
    name: 'raggedGather (cpu fallback)',
    kernels: ['RaggedGather'],
    inputs: [
      { shape: [4], int: { high: 9 }, values: [0, 2, 3, 6] },
      f32(6),
      { shape: [2], int: { high: 3 }, values: [2, 0] },
    ],
    f: (splits, values, indices) => {
      const { outputNestedSplits, outputDenseValues } = tf.raggedGather(
        [splits!],
        values!,
        indices!,
        1,
      );
      return tf.concat([outputNestedSplits[0]!.toFloat(), outputDenseValues]);
    },
    grad: false,
  },
  {
    name: 'raggedTensorToTensor (cpu fallback)',
    kernels: ['RaggedTensorToTensor'],
    inputs: [f32(5), { shape: [5], int: { high: 3 }, values: [0, 0, 1, 2, 2] }],
    f: (values, rowIds) =>
      tf.raggedTensorToTensor(
        [3, 3],
        values!,
        tf.scalar(0),
        [tf.scalar(3, 'int32'), rowIds!],
        ['FIRST_DIM_SIZE', 'VALUE_ROWIDS'],
      ),
    grad: false,
  },
];

function profileKernels(c: Case): Promise<string[]> {
  return tf
    .profile(() => {
      runCase(c, 1);
    })
    .then((info) => info.kernelNames);
}

beforeAll(async () => {
  delete process.env.CORNU_ENGINE;
  expect(await ready()).toBe('wasm');
});

describe('wasm kernels agree with the cpu engine', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await tf.setBackend('wasm');
    const ran = await profileKernels(c);
    for (const kernel of c.kernels)
      expect(ran, `${c.name} runs ${kernel} on wasm`).toContain(kernel);
    const onWasm = runCase(c, 1);
    await tf.setBackend('cpu');
    const onCpu = runCase(c, 1);
    await tf.setBackend('wasm');
    expectClose(
      onWasm.value as ArrayLike<number>,
      onCpu.value as ArrayLike<number>,
      `${c.name}: value`,
    );
    expect(onWasm.grads.length).toBe(onCpu.grads.length);
    for (const [i, g] of onCpu.grads.entries())
      expectClose(onWasm.grads[i]!, g, `${c.name}: gradient ${i}`);
  });

  it('covers every kernel Cornu registers or re-routes', () => {
    const tested = new Set(cases.flatMap((c) => c.kernels));
    const untested = [...wasmKernelRoutes().keys()].filter(
      (k) => !tested.has(k) && k !== 'StaticRegexReplace',
    );
    expect(untested).toEqual([]);
    expect(wasmKernelRoutes().size).toBeGreaterThanOrEqual(13);
  });

  it('runs StaticRegexReplace (string, cpu fallback)', async () => {
    await tf.setBackend('wasm');
    const out = tf.string.staticRegexReplace(['ab-cd', 'x-y-z'], '-', '+');
    expect(out.dataSync()).toEqual(['ab+cd', 'x+y+z']);
    out.dispose();
  });
});

/** Runs a kernel directly on both engines (for attributes no op reaches, such as NCHW). */
async function kernelOnBoth(
  kernel: string,
  inputs: Record<string, InputSpec>,
  attrs: object,
): Promise<[Float32Array, Float32Array]> {
  const names = Object.keys(inputs);
  const once = async (backendName: string) => {
    await tf.setBackend(backendName);
    return tf.tidy(() => {
      const xs = makeInputs(Object.values(inputs), 3);
      const map = Object.fromEntries(names.map((n, i) => [n, xs[i]!]));
      return (
        tf.engine().runKernel(kernel, map, attrs as tf.NamedAttrMap) as T
      ).dataSync() as Float32Array;
    });
  };
  const wasm = await once('wasm');
  const cpu = await once('cpu');
  await tf.setBackend('wasm');
  return [wasm, cpu];
}

describe('linear kernels without a trustworthy cpu gradient', () => {
  it('resize gradients on a non-square input satisfy <f(x), dy> = <x, grad>', async () => {
    await tf.setBackend('wasm');
    const [x, dyBilinear, dyNearest] = [
      makeInputs([f32(2, 3, 4, 2)], 5)[0]!,
      makeInputs([f32(2, 5, 7, 2)], 6)[0]!,
      makeInputs([f32(2, 6, 8, 2)], 7)[0]!,
    ];
    const ops: [string, (v: T) => T, T][] = [
      ['resizeBilinear', (v) => tf.image.resizeBilinear(C(v), [5, 7]), dyBilinear],
      ['resizeNearestNeighbor', (v) => tf.image.resizeNearestNeighbor(C(v), [6, 8]), dyNearest],
    ];
    for (const [name, f, dy] of ops) {
      const [lhs, rhs, gradShape] = tf.tidy(() => {
        const g = tf.grad(f)(x, dy);
        return [f(x).mul(dy).sum().dataSync()[0]!, x.mul(g).sum().dataSync()[0]!, g.shape];
      });
      expect(gradShape, name).toEqual(x.shape);
      expect(Math.abs(lhs - rhs), `${name}: <f(x), dy> = ${lhs}, <x, grad> = ${rhs}`).toBeLessThan(
        1e-4 * (Math.abs(lhs) + 1),
      );
    }
    tf.dispose([x, dyBilinear, dyNearest]);
  });
});

describe('kernel attributes no op reaches', () => {
  it('Conv2DBackpropFilter and Conv2DBackpropInput with NCHW data', async () => {
    const [wf, cf] = await kernelOnBoth(
      'Conv2DBackpropFilter',
      { x: f32(2, 5, 7, 7), dy: f32(2, 4, 4, 4) },
      { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 5, 4] },
    );
    expectClose(wf, cf, 'Conv2DBackpropFilter NCHW');
    const [wi, ci] = await kernelOnBoth(
      'Conv2DBackpropInput',
      { dy: f32(2, 4, 4, 4), filter: f32(3, 3, 5, 4) },
      { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', inputShape: [2, 5, 7, 7] },
    );
    expectClose(wi, ci, 'Conv2DBackpropInput NCHW');
  });

  it('depthwise backprops with dilation 2 (against dilation 1 with the zero-dilated 5x5 filter)', async () => {
    // The cpu engine's depthwise backprops ignore dilations, so the reference is the identity
    // conv(x, w, dilation 2) = conv(x, w5, dilation 1), w5[2i, 2j] = w[i, j] and zeros elsewhere.
    const tap = (i: number) => i * 2;
    const runOn = async (
      backendName: string,
      kernel: string,
      inputs: Record<string, T>,
      attrs: object,
    ) => {
      await tf.setBackend(backendName);
      return tf.tidy(
        () =>
          (
            tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as T
          ).arraySync() as number[][][][],
      );
    };
    await tf.setBackend('cpu');
    const [x, dyF, dyI, w] = [
      f32(2, 9, 9, 3),
      f32(2, 9, 9, 6),
      f32(2, 5, 5, 6),
      f32(3, 3, 3, 2),
    ].map((spec, i) => makeInputs([spec], 20 + i)[0]!);
    const w5 = tf.tidy(() => {
      const values = w!.arraySync() as number[][][][];
      const out = Array.from({ length: 5 }, (_, r) =>
        Array.from({ length: 5 }, (_, c) =>
          r % 2 === 0 && c % 2 === 0
            ? values[r / 2]![c / 2]!
            : values[0]![0]!.map((row) => row.map(() => 0)),
        ),
      );
      return tf.tensor4d(out);
    });
    const filterOnWasm = await runOn(
      'wasm',
      'DepthwiseConv2dNativeBackpropFilter',
      { x: x!, dy: dyF! },
      {
        strides: [1, 1],
        dilations: [2, 2],
        pad: 'same',
        filterShape: [3, 3, 3, 2],
      },
    );
    const filter5OnCpu = await runOn(
      'cpu',
      'DepthwiseConv2dNativeBackpropFilter',
      { x: x!, dy: dyF! },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: 'same',
        filterShape: [5, 5, 3, 2],
      },
    );
    const expectedFilter = [0, 1, 2].flatMap((r) =>
      [0, 1, 2].flatMap((c) => filter5OnCpu[tap(r)]![tap(c)]!.flat()),
    );
    expectClose(
      filterOnWasm.flat(3),
      expectedFilter,
      'DepthwiseConv2dNativeBackpropFilter dilation 2',
    );
    const inputOnWasm = await runOn(
      'wasm',
      'DepthwiseConv2dNativeBackpropInput',
      { dy: dyI!, filter: w! },
      {
        strides: [1, 1],
        dilations: [2, 2],
        pad: 'valid',
        inputShape: [2, 9, 9, 3],
      },
    );
    const inputOnCpu = await runOn(
      'cpu',
      'DepthwiseConv2dNativeBackpropInput',
      { dy: dyI!, filter: w5 },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: 'valid',
        inputShape: [2, 9, 9, 3],
      },
    );
    expectClose(
      inputOnWasm.flat(3),
      inputOnCpu.flat(3),
      'DepthwiseConv2dNativeBackpropInput dilation 2',
    );
    await tf.setBackend('wasm');
    tf.dispose([x!, dyF!, dyI!, w!, w5]);
  });
});

describe('wasm engine inventory', () => {
  it('has every kernel the cpu engine has, except the documented complex64 and canvas ones', () => {
    const wasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
    const missing = tf
      .getKernelsForBackend('cpu')
      .map((k) => k.kernelName)
      .filter((k) => !wasm.has(k));
    expect(missing.sort()).toEqual(Object.keys(UNSUPPORTED_ON_WASM).sort());
    for (const name of CPU_FALLBACK_KERNELS)
      expect(wasmKernelRoutes().get(name)).toBe('cpu-fallback');
  });

  it('re-routed kernels release every intermediate (wasm heap and engine counts flat)', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 9, 9, 5]) as tf.Tensor4D;
    const w = tf.variable(tf.randomNormal([3, 3, 5, 4]));
    const d = tf.variable(tf.randomNormal([3, 3, 5, 2]));
    const m = tf.variable(tf.randomNormal([4, 3]));
    const e = tf.variable(tf.randomNormal([10, 4]));
    const ids = tf.tensor1d([1, 4, 4, 9], 'int32');
    const step = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const h = tf.conv2d(x, w as unknown as tf.Tensor4D, 2, 'same').relu();
          const p = tf.maxPool(h as tf.Tensor4D, 2, 1, 'same');
          const dw = tf.depthwiseConv2d(x, d as unknown as tf.Tensor4D, 1, 'valid');
          const emb = tf.gather(e, ids).matMul(m, false, false);
          return p.sum().add(dw.square().mean()).add(emb.sum()) as tf.Scalar;
        });
        value.dataSync();
        tf.dispose(Object.values(grads));
      });
    step();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(dataIds);
    tf.dispose([x, w, d, m, e, ids]);
  });
});

describe('slices read only what they keep', () => {
  it('Slice, Unpack, SplitV, StridedSlice and GatherV2 never copy their whole input off the heap', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([64, 8, 16]);
    const ids = tf.tensor1d([63, 0, 7], 'int32');
    const backend = tf.backend() as unknown as { readSync: (...args: unknown[]) => unknown };
    const readSync = backend.readSync;
    let reads = 0;
    backend.readSync = (...args: unknown[]) => {
      reads++;
      return readSync.apply(backend, args);
    };
    try {
      const before = tf.memory().numTensors;
      tf.dispose([
        tf.slice(x, [3, 0, 0], [5, 8, 16]),
        tf.slice(x, [0, 2, 4], [64, 3, 5]),
        ...tf.unstack(x, 1),
        ...tf.split(x, 4, 0),
        tf.gather(x, ids),
        tf.stridedSlice(x, [1, 0, 0], [2, 8, 16], [1, 1, 1], 0, 0, 0, 0, 1),
      ]);
      expect(reads).toBe(0);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      backend.readSync = readSync;
      tf.dispose([x, ids]);
    }
  });
});

describe('one tfjs-core copy', () => {
  it('tensors from wasm kernels and cpu fallbacks are instances of the one tf.Tensor', async () => {
    await tf.setBackend('wasm');
    expect(tfDirect.Tensor).toBe(tf.Tensor);
    const a = tf.ones([2, 3]);
    const viaWasm = a.matMul(a, false, true);
    const viaFallback = tf.einsum('ij,kj->ik', a, a);
    expect(viaWasm).toBeInstanceOf(tf.Tensor);
    expect(viaFallback).toBeInstanceOf(tf.Tensor);
    expect(viaFallback).toBeInstanceOf(tfDirect.Tensor);
    expect(Array.from(viaFallback.dataSync())).toEqual([3, 3, 3, 3]);
    tf.dispose([a, viaWasm, viaFallback]);
  });
});
