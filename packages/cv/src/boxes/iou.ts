import { tf, ValueError } from '@cornu/core';
import { type BoxFormat, checkBoxes, checkFormat, xyxyColumns } from './convert-format.js';

/** Options of the IoU functions. */
export interface IoUOptions {
  /** Format of both box sets (must be absolute or both relative to the same image). @default 'xyxy' */
  boundingBoxFormat?: BoxFormat;
  /**
   * `'pairwise'`: `[..., N, 4]` and `[..., M, 4]` give `[..., N, M]`; `'elementwise'`: boxes are
   * paired one to one (broadcasting), giving `[...]`. @default 'pairwise'
   */
  mode?: 'pairwise' | 'elementwise';
  /** Added to denominators. @default 1e-7 */
  epsilon?: number;
}

type Variant = 'iou' | 'giou' | 'ciou';

function overlapMeasure(
  boxes1: tf.Tensor,
  boxes2: tf.Tensor,
  options: IoUOptions,
  variant: Variant,
  who: string,
): tf.Tensor {
  const { boundingBoxFormat = 'xyxy', mode = 'pairwise', epsilon = 1e-7 } = options;
  const format = checkFormat(boundingBoxFormat, who);
  checkBoxes(boxes1, who, 'boxes1');
  checkBoxes(boxes2, who, 'boxes2');
  if (mode !== 'pairwise' && mode !== 'elementwise') {
    throw new ValueError(
      `${who}: mode must be 'pairwise' or 'elementwise'. Received: mode=${JSON.stringify(mode)}.`,
    );
  }
  return tf.tidy(() => {
    let a = boxes1;
    let b = boxes2;
    if (mode === 'pairwise') {
      a = tf.expandDims(boxes1, boxes1.rank - 1); // [..., N, 1, 4]
      b = tf.expandDims(boxes2, boxes2.rank - 2); // [..., 1, M, 4]
    }
    const [ax1, ay1, ax2, ay2] = xyxyColumns(a, format);
    const [bx1, by1, bx2, by2] = xyxyColumns(b, format);
    const areaA = tf.mul(tf.relu(tf.sub(ax2, ax1)), tf.relu(tf.sub(ay2, ay1)));
    const areaB = tf.mul(tf.relu(tf.sub(bx2, bx1)), tf.relu(tf.sub(by2, by1)));
    const iw = tf.relu(tf.sub(tf.minimum(ax2, bx2), tf.maximum(ax1, bx1)));
    const ih = tf.relu(tf.sub(tf.minimum(ay2, by2), tf.maximum(ay1, by1)));
    const intersection = tf.mul(iw, ih);
    const union = tf.sub(tf.add(areaA, areaB), intersection);
    const iou = tf.div(intersection, tf.add(union, epsilon));
    if (variant === 'iou') return iou;
    const ew = tf.sub(tf.maximum(ax2, bx2), tf.minimum(ax1, bx1));
    const eh = tf.sub(tf.maximum(ay2, by2), tf.minimum(ay1, by1));
    if (variant === 'giou') {
      const enclosing = tf.mul(ew, eh);
      return tf.sub(iou, tf.div(tf.sub(enclosing, union), tf.add(enclosing, epsilon)));
    }
    // CIoU: IoU - centre distance^2 / diagonal^2 - alpha * v (Zheng et al., 2020).
    const diagonal = tf.add(tf.add(tf.square(ew), tf.square(eh)), epsilon);
    const dx = tf.div(tf.sub(tf.add(bx1, bx2), tf.add(ax1, ax2)), 2);
    const dy = tf.div(tf.sub(tf.add(by1, by2), tf.add(ay1, ay2)), 2);
    const distance = tf.add(tf.square(dx), tf.square(dy));
    const atanA = tf.atan(tf.div(tf.sub(ax2, ax1), tf.add(tf.sub(ay2, ay1), epsilon)));
    const atanB = tf.atan(tf.div(tf.sub(bx2, bx1), tf.add(tf.sub(by2, by1), epsilon)));
    const v = tf.mul(4 / (Math.PI * Math.PI), tf.square(tf.sub(atanB, atanA)));
    const alpha = tf.div(v, tf.add(tf.add(tf.sub(1, iou), v), epsilon));
    return tf.sub(tf.sub(iou, tf.div(distance, diagonal)), tf.mul(alpha, v));
  });
}

/**
 * Intersection over union of two box sets (KerasCV's `compute_iou`): `[N, 4]` x `[M, 4]` ->
 * `[N, M]` pairwise (leading batch dimensions broadcast), or one to one with `mode: 'elementwise'`.
 */
export function computeIoU(
  boxes1: tf.Tensor,
  boxes2: tf.Tensor,
  options: IoUOptions = {},
): tf.Tensor {
  return overlapMeasure(boxes1, boxes2, options, 'iou', 'computeIoU');
}

/** Generalized IoU (Rezatofighi et al., 2019): IoU minus the empty fraction of the enclosing box; in [-1, 1]. */
export function computeGIoU(
  boxes1: tf.Tensor,
  boxes2: tf.Tensor,
  options: IoUOptions = {},
): tf.Tensor {
  return overlapMeasure(boxes1, boxes2, options, 'giou', 'computeGIoU');
}

/** Complete IoU (Zheng et al., 2020): IoU minus a centre-distance and an aspect-ratio penalty. */
export function computeCIoU(
  boxes1: tf.Tensor,
  boxes2: tf.Tensor,
  options: IoUOptions = {},
): tf.Tensor {
  return overlapMeasure(boxes1, boxes2, options, 'ciou', 'computeCIoU');
}
