/**
 * Test support: loads the PyTorch reference fixtures written by scripts/reference/conv.py
 * (test-fixtures/reference/conv/*.json) and compares tensors with an explicit tolerance.
 * Used by the convolution, pooling and reshaping tests only; not exported from the package.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** A tensor as the generator stores it: PyTorch layout, flattened row-major data. */
export interface StoredTensor {
  shape: number[];
  data: number[];
}

/** One reference case: layer arguments (Keras snake_case), input, weights (torch layout), output. */
export interface ReferenceCase {
  name: string;
  args: Record<string, unknown>;
  input: StoredTensor;
  output: StoredTensor;
  weight?: StoredTensor;
  bias?: StoredTensor;
  depthwise?: StoredTensor;
  pointwise?: StoredTensor;
}

const fixtureDir = new URL('../../../test-fixtures/reference/conv/', import.meta.url);

/** Every case of one fixture file, e.g. `conv2d.json`. */
export function loadReferenceCases(file: string): ReferenceCase[] {
  const text = readFileSync(fileURLToPath(new URL(file, fixtureDir)), 'utf8');
  return (JSON.parse(text) as { cases: ReferenceCase[] }).cases;
}

/** The case named `name` in `cases`; throws if absent. */
export function findCase(cases: ReferenceCase[], name: string): ReferenceCase {
  const found = cases.find((c) => c.name === name);
  if (!found) throw new Error(`no reference case '${name}'`);
  return found;
}

/** A stored tensor as a float32 tfjs tensor (still in PyTorch layout). */
export function stored(t: StoredTensor | undefined): tf.Tensor {
  if (!t) throw new Error('reference case lacks a tensor the test needs');
  return tf.tensor(t.data, t.shape, 'float32');
}

/** PyTorch channels-first activations (N, C, ...spatial) as Keras channels-last (N, ...spatial, C). */
export function torchToChannelsLast(t: StoredTensor | undefined): tf.Tensor {
  return tf.tidy(() => {
    const x = stored(t);
    return tf.transpose(x, [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2), 1]);
  });
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| elementwise (defaults 1e-5 each) and that
 * the shapes agree.
 */
export function expectTensorClose(
  actual: tf.Tensor,
  expected: tf.Tensor,
  atol = 1e-5,
  rtol = 1e-5,
): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  let worst = 0;
  let worstIndex = -1;
  for (let i = 0; i < e.length; i++) {
    const excess =
      Math.abs((a[i] as number) - (e[i] as number)) - (atol + rtol * Math.abs(e[i] as number));
    if (excess > worst) {
      worst = excess;
      worstIndex = i;
    }
  }
  if (worstIndex >= 0) {
    expect.fail(
      `element ${worstIndex}: received ${a[worstIndex]}, expected ${e[worstIndex]} (tolerance ${atol} + ${rtol}*|expected|)`,
    );
  }
}

/** Spatial axes 2.. of a torch weight, first. */
function spatialFirst(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => i + 2);
}

/**
 * torch conv weight (out, in/groups, ...k) -> Keras kernel (...k, in/groups, out). The same
 * permutation maps a transposed-conv weight (in, out, ...k) to Keras's (...k, out, in) and a
 * pointwise weight (filters, in*m, 1..) to (1.., in*m, filters).
 */
export function torchConvToKeras(w: StoredTensor | undefined): tf.Tensor {
  return tf.tidy(() => {
    const t = stored(w);
    return tf.transpose(t, [...spatialFirst(t.rank - 2), 1, 0]);
  });
}

/** torch depthwise weight (in*m, 1, ...k), output channel c*m + j -> Keras (...k, in, m). */
export function torchDepthwiseToKeras(w: StoredTensor | undefined, multiplier: number): tf.Tensor {
  return tf.tidy(() => {
    const t = stored(w);
    const inChannels = (t.shape[0] as number) / multiplier;
    const grouped = tf.reshape(t, [inChannels, multiplier, ...t.shape.slice(2)]);
    return tf.transpose(grouped, [...spatialFirst(t.rank - 2), 0, 1]);
  });
}

/**
 * Whether the current engine can take the gradients of `kernelNames`. Gradient tests are gated on
 * it for the engines that may lack backprop kernels (cpu, native builds), but not on wasm: the
 * backend module registers the missing ones there and the issue requires gradient checks on wasm,
 * so on wasm a missing kernel throws (failing the test file) instead of skipping its tests.
 */
export function engineHasKernels(...kernelNames: string[]): boolean {
  const backend = tf.getBackend();
  const missing = kernelNames.filter((name) => tf.getKernel(name, backend) === undefined);
  if (backend === 'wasm' && missing.length > 0) {
    throw new Error(
      `engineHasKernels: the wasm engine lacks ${missing.join(', ')}, which the backend module registers; the gradient tests must run on wasm, so they fail here instead of skipping.`,
    );
  }
  return missing.length === 0;
}
