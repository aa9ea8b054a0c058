/**
 * UnsortedSegmentSum for the wasm engine (the gradient of Gather, hence of every Embedding).
 *
 * One ScatterNd adds row i of x into row segmentIds[i] of the output. TensorFlow drops ids outside
 * [0, numSegments); ScatterNd would not, so such ids, and segment ids of rank > 1, go to the cpu
 * engine's kernel instead (see cpu-fallback.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { cpuFallback } from './cpu-fallback.js';
import { type Inputs, release, reshape, run } from './kernel-call.js';

type KernelArgs = { inputs: Inputs; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

const fallback = cpuFallback(tf.UnsortedSegmentSum);

function idsInRange(backend: tf.KernelBackend, ids: tf.TensorInfo, numSegments: number): boolean {
  const values = backend.readSync(ids.dataId) as Int32Array | Float32Array;
  for (let i = 0; i < values.length; i++) {
    const id = values[i]!;
    if (!(id >= 0 && id < numSegments)) return false;
  }
  return true;
}

function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const x = inputs.x!;
  const segmentIds = inputs.segmentIds!;
  if (
    segmentIds.shape.length !== 1 ||
    segmentIds.dtype !== 'int32' ||
    !idsInRange(backend, segmentIds, numSegments)
  ) {
    return fallback(args as unknown as Parameters<tf.KernelFunc>[0]);
  }
  const rows = segmentIds.shape[0]!;
  const rest = x.shape.slice(1);
  const width = tf.util.sizeFromShape(rest);
  const indices = reshape(backend, segmentIds, [rows, 1]);
  const updates = reshape(backend, x, [rows, width]);
  const flat = run(tf.ScatterNd, backend, { indices, updates }, { shape: [numSegments, width] });
  const out = reshape(backend, flat, [numSegments, ...rest]);
  release(backend, indices, updates, flat);
  return out;
}

export const segmentKernels: readonly tf.KernelConfig[] = [
  {
    kernelName: tf.UnsortedSegmentSum,
    backendName: 'wasm',
    kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
  },
];
