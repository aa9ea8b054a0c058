import { tf, ValueError } from '@cornu/core';
import type { BoundingBoxes } from './clip-to-image.js';

/** Ragged boxes: one list of `[4]` boxes and one list of class ids per image. */
export interface RaggedBoundingBoxes {
  boxes: number[][][];
  labels: number[][];
}

/**
 * Pads ragged per-image box sets to dense tensors (KerasCV's `to_dense`): `boxes` `[B, maxBoxes, 4]`
 * padded with -1, `labels` `[B, maxBoxes]` padded with class -1. `maxBoxes` defaults to the
 * largest set; larger sets are an error (never silently truncated).
 */
export function toDense(
  ragged: RaggedBoundingBoxes,
  options: { maxBoxes?: number } = {},
): BoundingBoxes {
  const who = 'toDense';
  const { boxes, labels } = ragged;
  if (boxes.length !== labels.length) {
    throw new ValueError(
      `${who}: boxes and labels must list the same number of images, received ${boxes.length} and ${labels.length}.`,
    );
  }
  const largest = Math.max(0, ...boxes.map((b) => b.length));
  const maxBoxes = options.maxBoxes ?? largest;
  const b = new Float32Array(boxes.length * maxBoxes * 4).fill(-1);
  const l = new Int32Array(boxes.length * maxBoxes).fill(-1);
  boxes.forEach((set, i) => {
    const setLabels = labels[i] as number[];
    if (set.length !== setLabels.length) {
      throw new ValueError(
        `${who}: image ${i} has ${set.length} boxes but ${setLabels.length} labels.`,
      );
    }
    if (set.length > maxBoxes) {
      throw new ValueError(
        `${who}: image ${i} has ${set.length} boxes, more than maxBoxes=${maxBoxes}.`,
      );
    }
    set.forEach((box, j) => {
      if (box.length !== 4)
        throw new ValueError(
          `${who}: box ${j} of image ${i} has ${box.length} coordinates, expected 4.`,
        );
      b.set(box, (i * maxBoxes + j) * 4);
      l[i * maxBoxes + j] = setLabels[j] as number;
    });
  });
  return {
    boxes: tf.tensor3d(b, [boxes.length, maxBoxes, 4]),
    labels: tf.tensor2d(l, [boxes.length, maxBoxes], 'int32'),
  };
}

/** Drops the padding of dense boxes (entries with label -1): the inverse of {@link toDense}. */
export function toRagged(dense: BoundingBoxes): RaggedBoundingBoxes {
  const { boxes, labels } = dense;
  if (boxes.rank !== 3 || labels.rank !== 2) {
    throw new ValueError(
      `toRagged: expected boxes [B, N, 4] and labels [B, N], received [${boxes.shape.join(', ')}] and [${labels.shape.join(', ')}].`,
    );
  }
  const b = boxes.arraySync() as number[][][];
  const l = labels.arraySync() as number[][];
  const out: RaggedBoundingBoxes = { boxes: [], labels: [] };
  l.forEach((row, i) => {
    const keep = row.map((c, j) => [c, j] as const).filter(([c]) => c !== -1);
    out.boxes.push(keep.map(([, j]) => b[i]?.[j] as number[]));
    out.labels.push(keep.map(([c]) => c));
  });
  return out;
}
