import { tf } from '@cornu/core';
import { type BoxFormat, checkBoxes, checkFormat, convertFormat } from './convert-format.js';

/** Options of {@link encodeBoxTargets} and {@link decodeBoxTargets}. */
export interface BoxTargetOptions {
  /** Format of the anchors. @default 'xyxy' */
  anchorFormat?: BoxFormat;
  /** Format of the boxes (the input of encode, the output of decode). @default 'xyxy' */
  boxFormat?: BoxFormat;
  /** Divisors of the four deltas [dy... in center_yxhw order: y, x, h, w]. @default [1, 1, 1, 1] */
  variance?: [number, number, number, number];
  /** Image size, for relative formats. */
  height?: number;
  width?: number;
}

function centerYxhw(boxes: tf.Tensor, format: BoxFormat, options: BoxTargetOptions): tf.Tensor {
  const size: { height?: number; width?: number } = {};
  if (options.height !== undefined) size.height = options.height;
  if (options.width !== undefined) size.width = options.width;
  return convertFormat(boxes, { source: format, target: 'center_yxhw', ...size });
}

/**
 * Regression targets of an anchor-based detector (the SSD / RetinaNet / Faster R-CNN encoding, as
 * KerasCV's `_encode_box_to_deltas`): for anchors and boxes in centre form,
 * `[(y - ya) / ha, (x - xa) / wa, log(h / ha), log(w / wa)] / variance`. `boxes` and `anchors`
 * broadcast (`[N, 4]` each, or boxes `[B, N, 4]` against anchors `[N, 4]`).
 */
export function encodeBoxTargets(
  anchors: tf.Tensor,
  boxes: tf.Tensor,
  options: BoxTargetOptions = {},
): tf.Tensor {
  const who = 'encodeBoxTargets';
  const anchorFormat = checkFormat(options.anchorFormat ?? 'xyxy', who, 'anchorFormat');
  const boxFormat = checkFormat(options.boxFormat ?? 'xyxy', who, 'boxFormat');
  checkBoxes(anchors, who, 'anchors');
  checkBoxes(boxes, who);
  const variance = options.variance ?? [1, 1, 1, 1];
  return tf.tidy(() => {
    const [ay, ax, ah, aw] = tf.unstack(
      centerYxhw(anchors, anchorFormat, options),
      anchors.rank - 1,
    ) as tf.Tensor[];
    const [by, bx, bh, bw] = tf.unstack(
      centerYxhw(boxes, boxFormat, options),
      boxes.rank - 1,
    ) as tf.Tensor[];
    const deltas = [
      tf.div(tf.sub(by as tf.Tensor, ay as tf.Tensor), ah as tf.Tensor),
      tf.div(tf.sub(bx as tf.Tensor, ax as tf.Tensor), aw as tf.Tensor),
      tf.log(tf.div(bh as tf.Tensor, ah as tf.Tensor)),
      tf.log(tf.div(bw as tf.Tensor, aw as tf.Tensor)),
    ].map((d, i) => tf.div(d, variance[i] as number));
    return tf.stack(deltas, -1);
  });
}

/** Inverse of {@link encodeBoxTargets}: boxes (in `boxFormat`) from anchors and predicted deltas. */
export function decodeBoxTargets(
  anchors: tf.Tensor,
  deltas: tf.Tensor,
  options: BoxTargetOptions = {},
): tf.Tensor {
  const who = 'decodeBoxTargets';
  const anchorFormat = checkFormat(options.anchorFormat ?? 'xyxy', who, 'anchorFormat');
  const boxFormat = checkFormat(options.boxFormat ?? 'xyxy', who, 'boxFormat');
  checkBoxes(anchors, who, 'anchors');
  checkBoxes(deltas, who, 'deltas');
  const variance = options.variance ?? [1, 1, 1, 1];
  return tf.tidy(() => {
    const [ay, ax, ah, aw] = tf.unstack(
      centerYxhw(anchors, anchorFormat, options),
      anchors.rank - 1,
    ) as tf.Tensor[];
    const [dy, dx, dh, dw] = tf
      .unstack(deltas, deltas.rank - 1)
      .map((d, i) => tf.mul(d, variance[i] as number));
    const centre = tf.stack(
      [
        tf.add(tf.mul(dy as tf.Tensor, ah as tf.Tensor), ay as tf.Tensor),
        tf.add(tf.mul(dx as tf.Tensor, aw as tf.Tensor), ax as tf.Tensor),
        tf.mul(tf.exp(dh as tf.Tensor), ah as tf.Tensor),
        tf.mul(tf.exp(dw as tf.Tensor), aw as tf.Tensor),
      ],
      -1,
    );
    const size: { height?: number; width?: number } = {};
    if (options.height !== undefined) size.height = options.height;
    if (options.width !== undefined) size.width = options.width;
    return convertFormat(centre, { source: 'center_yxhw', target: boxFormat, ...size });
  });
}
