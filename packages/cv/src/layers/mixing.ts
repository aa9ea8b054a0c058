import { tf, ValueError } from '@cornu/core';
import type { AugmentationInputs } from './base-image-augmentation-layer.js';

/** Checks the batch of a mixing layer and returns it as float32 `[B, h, w, c]` (caller disposes if new). */
export function mixingBatch(inputs: AugmentationInputs, who: string): tf.Tensor4D {
  const { images, labels } = inputs;
  if (!(images instanceof tf.Tensor) || images.rank !== 4) {
    throw new ValueError(
      `${who}: mixes images within a batch, so images must be [B, h, w, c]; received ${images instanceof tf.Tensor ? `shape [${images.shape.join(', ')}]` : String(images)}.`,
    );
  }
  if (labels !== undefined && labels.shape[0] !== images.shape[0]) {
    throw new ValueError(
      `${who}: labels must have one row per image (${images.shape[0]}), received shape [${labels.shape.join(', ')}].`,
    );
  }
  return (images.dtype === 'float32' ? images : tf.cast(images, 'float32')) as tf.Tensor4D;
}

/** `w * a + (1 - w) * b` with per-row weights `w` `[B]` broadcast over the other axes. */
export function blendRows(a: tf.Tensor, b: tf.Tensor, weights: number[]): tf.Tensor {
  const shape = [weights.length, ...a.shape.slice(1).map(() => 1)];
  const w = tf.reshape(tf.tensor1d(weights), shape);
  return tf.add(tf.mul(tf.cast(a, 'float32'), w), tf.mul(tf.cast(b, 'float32'), tf.sub(1, w)));
}

/** Clones every tensor of a record (the identity output of a mixing layer). */
export function cloneInputs(inputs: AugmentationInputs): AugmentationInputs {
  const out: AugmentationInputs = { images: tf.clone(inputs.images) };
  if (inputs.boxes) out.boxes = tf.clone(inputs.boxes);
  if (inputs.labels) out.labels = tf.clone(inputs.labels);
  if (inputs.segmentationMasks) out.segmentationMasks = tf.clone(inputs.segmentationMasks);
  return out;
}
