import { tf, ValueError } from '@cornu/core';

/**
 * Bounding-box formats (KerasCV / Keras 3 names). `xyxy`: corners [left, top, right, bottom];
 * `yxyx`: [top, left, bottom, right] (TF's order); `xywh`: [left, top, width, height];
 * `center_xywh` / `center_yxhw`: the centre then the size. The `rel_` variants divide x and
 * widths by the image width and y and heights by the image height.
 */
export type BoxFormat =
  | 'xyxy'
  | 'yxyx'
  | 'xywh'
  | 'center_xywh'
  | 'center_yxhw'
  | 'rel_xyxy'
  | 'rel_yxyx'
  | 'rel_xywh'
  | 'rel_center_xywh'
  | 'rel_center_yxhw';

export const BOX_FORMATS: readonly BoxFormat[] = [
  'xyxy',
  'yxyx',
  'xywh',
  'center_xywh',
  'center_yxhw',
  'rel_xyxy',
  'rel_yxyx',
  'rel_xywh',
  'rel_center_xywh',
  'rel_center_yxhw',
];

/** Options of {@link convertFormat}. */
export interface ConvertFormatOptions {
  source: BoxFormat;
  target: BoxFormat;
  /** Image height, needed when either format is relative. */
  height?: number;
  /** Image width, needed when either format is relative. */
  width?: number;
}

export function checkFormat(
  format: unknown,
  who: string,
  argument = 'boundingBoxFormat',
): BoxFormat {
  if (!BOX_FORMATS.includes(format as BoxFormat)) {
    throw new ValueError(
      `${who}: unknown ${argument} ${JSON.stringify(format)}. Expected one of ${BOX_FORMATS.join(', ')}.`,
    );
  }
  return format as BoxFormat;
}

/** The four columns of `[..., 4]` boxes. */
function columns(boxes: tf.Tensor): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.unstack(boxes, boxes.rank - 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
}

/** Converts `[..., 4]` boxes to absolute xyxy. */
function toXyxy(
  boxes: tf.Tensor,
  format: BoxFormat,
  height: number,
  width: number,
): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] {
  const relative = format.startsWith('rel_');
  const base = (relative ? format.slice(4) : format) as BoxFormat;
  let [a, b, c, d] = columns(boxes);
  let x1: tf.Tensor;
  let y1: tf.Tensor;
  let x2: tf.Tensor;
  let y2: tf.Tensor;
  if (base === 'yxyx' || base === 'center_yxhw') [a, b, c, d] = [b, a, d, c];
  if (relative)
    [a, b, c, d] = [tf.mul(a, width), tf.mul(b, height), tf.mul(c, width), tf.mul(d, height)];
  if (base === 'xyxy' || base === 'yxyx') [x1, y1, x2, y2] = [a, b, c, d];
  else if (base === 'xywh') [x1, y1, x2, y2] = [a, b, tf.add(a, c), tf.add(b, d)];
  else {
    const hw = tf.div(c, 2);
    const hh = tf.div(d, 2);
    [x1, y1, x2, y2] = [tf.sub(a, hw), tf.sub(b, hh), tf.add(a, hw), tf.add(b, hh)];
  }
  return [x1, y1, x2, y2];
}

function fromXyxy(
  xyxy: [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor],
  format: BoxFormat,
  height: number,
  width: number,
): tf.Tensor {
  const relative = format.startsWith('rel_');
  const base = (relative ? format.slice(4) : format) as BoxFormat;
  const [x1, y1, x2, y2] = xyxy;
  let cols: [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
  if (base === 'xyxy' || base === 'yxyx') cols = [x1, y1, x2, y2];
  else if (base === 'xywh') cols = [x1, y1, tf.sub(x2, x1), tf.sub(y2, y1)];
  else
    cols = [tf.div(tf.add(x1, x2), 2), tf.div(tf.add(y1, y2), 2), tf.sub(x2, x1), tf.sub(y2, y1)];
  if (relative)
    cols = [
      tf.div(cols[0], width),
      tf.div(cols[1], height),
      tf.div(cols[2], width),
      tf.div(cols[3], height),
    ];
  if (base === 'yxyx' || base === 'center_yxhw') cols = [cols[1], cols[0], cols[3], cols[2]];
  return tf.stack(cols, cols[0].rank);
}

/** Checks a `[..., 4]` boxes tensor. */
export function checkBoxes(boxes: tf.Tensor, who: string, argument = 'boxes'): void {
  if (boxes.rank < 1 || boxes.shape[boxes.rank - 1] !== 4) {
    throw new ValueError(
      `${who}: ${argument} must have a last dimension of 4, received shape [${boxes.shape.join(', ')}].`,
    );
  }
}

/**
 * Converts `[..., 4]` boxes between formats (KerasCV's `bounding_box.convert_format`); `height`
 * and `width` are required when either format is relative.
 *
 * @example
 * ```ts
 * convertFormat(tf.tensor2d([[10, 20, 30, 60]], [1, 4]), { source: 'xyxy', target: 'center_xywh' }); // [[20, 40, 20, 40]]
 * ```
 */
export function convertFormat(boxes: tf.Tensor, options: ConvertFormatOptions): tf.Tensor {
  const who = 'convertFormat';
  const source = checkFormat(options.source, who, 'source');
  const target = checkFormat(options.target, who, 'target');
  checkBoxes(boxes, who);
  const { height, width } = options;
  if (
    (source.startsWith('rel_') || target.startsWith('rel_')) &&
    (height === undefined || width === undefined)
  ) {
    throw new ValueError(
      `${who}: converting '${source}' to '${target}' needs the image size; pass height and width. Received: height=${height}, width=${width}.`,
    );
  }
  return tf.tidy(() => {
    const x = boxes.dtype === 'float32' ? boxes : tf.cast(boxes, 'float32');
    if (source === target) return tf.clone(x);
    return fromXyxy(toXyxy(x, source, height ?? 1, width ?? 1), target, height ?? 1, width ?? 1);
  });
}

/** Absolute xyxy columns of `[..., 4]` boxes (internal helper: the caller disposes, usually in a tidy). */
export function xyxyColumns(
  boxes: tf.Tensor,
  format: BoxFormat,
  height = 1,
  width = 1,
): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] {
  return toXyxy(
    boxes.dtype === 'float32' ? boxes : tf.cast(boxes, 'float32'),
    format,
    height,
    width,
  );
}
