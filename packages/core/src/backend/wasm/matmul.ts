/**
 * BatchMatMul and _FusedMatMul re-routed around tfjs-backend-wasm's slow paths.
 *
 * The stock kernel hands a product with `transposeA`/`transposeB` to a scalar loop that is 10-15x
 * slower than its XNNPACK path (measured on [784,128]^T x [128,256]: 59 ms against 1.4 ms to
 * transpose plus 4.3 ms to multiply). Every dense layer's gradient asks for exactly those products
 * (dW = x^T dy, dx = dy W^T), so the operands are materialised with the Transpose kernel first.
 * A batched product whose right operand is not batched (a Dense layer on a [batch, steps, features]
 * input) folds the batch into the rows, which turns it into one XNNPACK product as well.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Inputs, release, reshape, run, swapLastTwo, transpose } from './kernel-call.js';

interface MatMulOperands {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  /** Intermediates to release after the product. */
  temps: tf.TensorInfo[];
}

function untransposed(
  backend: tf.KernelBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): MatMulOperands {
  const temps: tf.TensorInfo[] = [];
  let $a = a;
  let $b = b;
  if (transposeA && a.shape.length >= 2) {
    $a = transpose(backend, a, swapLastTwo(a.shape.length));
    temps.push($a);
  }
  if (transposeB && b.shape.length >= 2) {
    $b = transpose(backend, b, swapLastTwo(b.shape.length));
    temps.push($b);
  }
  return { a: $a, b: $b, temps };
}

/**
 * When `b` carries no batch (its outer dimensions multiply to 1) and `a` does, returns `a` folded
 * to 2D and `b` as 2D, plus the output shape; otherwise undefined.
 */
function foldBatch(
  backend: tf.KernelBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
): { a2d: tf.TensorInfo; b2d: tf.TensorInfo; outShape: number[] } | undefined {
  if (a.shape.length <= 2) return undefined;
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  if (batchA <= 1 || batchB !== 1) return undefined;
  const m = a.shape[a.shape.length - 2]!;
  const k = a.shape[a.shape.length - 1]!;
  const n = b.shape[b.shape.length - 1]!;
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    b.shape.slice(0, -2),
  );
  return {
    a2d: reshape(backend, a, [batchA * m, k]),
    b2d: reshape(backend, b, [b.shape[b.shape.length - 2]!, n]),
    outShape: [...outer, m, n],
  };
}

function batchMatMul(args: {
  inputs: Inputs;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  const { a, b, temps } = untransposed(backend, inputs.a!, inputs.b!, transposeA, transposeB);
  const folded =
    a.dtype === 'float32' && b.dtype === 'float32' ? foldBatch(backend, a, b) : undefined;
  let out: tf.TensorInfo;
  if (folded) {
    const product = run(
      'BatchMatMul',
      backend,
      { a: folded.a2d, b: folded.b2d },
      { transposeA: false, transposeB: false },
    );
    out = reshape(backend, product, folded.outShape);
    release(backend, product, folded.a2d, folded.b2d);
  } else {
    out = run('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
  }
  release(backend, ...temps);
  return out;
}

function fusedMatMul(args: {
  inputs: Inputs;
  backend: tf.KernelBackend;
  attrs: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { transposeA, transposeB } = attrs as unknown as tf._FusedMatMulAttrs;
  const { a, b, temps } = untransposed(backend, inputs.a!, inputs.b!, transposeA, transposeB);
  const out = run(
    tf._FusedMatMul,
    backend,
    { ...inputs, a, b },
    { ...attrs, transposeA: false, transposeB: false },
  );
  release(backend, ...temps);
  return out;
}

export const matMulKernels: readonly tf.KernelConfig[] = [
  {
    kernelName: tf.BatchMatMul,
    backendName: 'wasm',
    kernelFunc: batchMatMul as unknown as tf.KernelFunc,
  },
  {
    kernelName: tf._FusedMatMul,
    backendName: 'wasm',
    kernelFunc: fusedMatMul as unknown as tf.KernelFunc,
  },
];
