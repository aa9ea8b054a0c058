import { tf, ValueError } from '@cornu/core';
import { type BoxFormat, checkBoxes, checkFormat, convertFormat } from './convert-format.js';

/** Boxes and their class ids, dense: `boxes` `[..., N, 4]`, `labels` `[..., N]` (-1 = no box). */
export interface BoundingBoxes {
  boxes: tf.Tensor;
  labels: tf.Tensor;
}

/** Options of {@link clipToImage}. */
export interface ClipToImageOptions {
  /** @default 'xyxy' */
  boundingBoxFormat?: BoxFormat;
  /** Image height (in pixels; ignored for relative formats, which clip to [0, 1]). */
  height: number;
  /** Image width. */
  width: number;
}

/**
 * Clips boxes to the image (KerasCV's `clip_to_image`). Boxes left with no area (outside the
 * image, or degenerate) become `[-1, -1, -1, -1]` with label -1, the padding convention.
 */
export function clipToImage(
  boundingBoxes: BoundingBoxes,
  options: ClipToImageOptions,
): BoundingBoxes {
  const who = 'clipToImage';
  const format = checkFormat(options.boundingBoxFormat ?? 'xyxy', who);
  const { boxes, labels } = boundingBoxes;
  checkBoxes(boxes, who);
  if (labels.rank !== boxes.rank - 1 || !labels.shape.every((d, i) => d === boxes.shape[i])) {
    throw new ValueError(
      `${who}: labels must have the shape of boxes without its last dimension; received boxes [${boxes.shape.join(', ')}] and labels [${labels.shape.join(', ')}].`,
    );
  }
  const relative = format.startsWith('rel_');
  const height = relative ? 1 : options.height;
  const width = relative ? 1 : options.width;
  const xyxyFormat: BoxFormat = relative ? 'rel_xyxy' : 'xyxy';
  return tf.tidy(() => {
    const xyxy = convertFormat(boxes, { source: format, target: xyxyFormat, height, width });
    const [x1, y1, x2, y2] = tf.unstack(xyxy, xyxy.rank - 1) as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
    ];
    const cx1 = tf.clipByValue(x1, 0, width);
    const cx2 = tf.clipByValue(x2, 0, width);
    const cy1 = tf.clipByValue(y1, 0, height);
    const cy2 = tf.clipByValue(y2, 0, height);
    const valid = tf.logicalAnd(
      tf.logicalAnd(tf.greater(cx2, cx1), tf.greater(cy2, cy1)),
      tf.greaterEqual(labels, 0),
    );
    const clipped = convertFormat(tf.stack([cx1, cy1, cx2, cy2], xyxy.rank - 1), {
      source: xyxyFormat,
      target: format,
      height,
      width,
    });
    const validBoxes = tf.expandDims(valid, -1);
    return {
      boxes: tf.where(
        tf.broadcastTo(validBoxes, clipped.shape),
        clipped,
        tf.fill(clipped.shape, -1),
      ),
      labels: tf.where(valid, labels, tf.fill(labels.shape, -1, labels.dtype)),
    };
  });
}
