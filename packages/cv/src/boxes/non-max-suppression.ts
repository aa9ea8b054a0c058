import { tf, ValueError } from '@cornu/core';
import { type BoxFormat, checkBoxes, checkFormat, convertFormat } from './convert-format.js';

/** Options of {@link nonMaxSuppression}. */
export interface NonMaxSuppressionOptions {
  /** Most boxes to keep. */
  maxOutputSize: number;
  /** Boxes overlapping a kept one by more than this IoU are suppressed (hard NMS). @default 0.5 */
  iouThreshold?: number;
  /** Boxes scoring at or below this are dropped. @default -Infinity */
  scoreThreshold?: number;
  /** Gaussian soft-NMS: scores decay by `exp(-iou^2 / (2 sigma))` instead of dropping (0 = hard NMS). @default 0 */
  softNmsSigma?: number;
  /** Format of `boxes`. @default 'yxyx' (TF's order) */
  boundingBoxFormat?: BoxFormat;
  /** Class id per box `[N]`: suppression then runs within each class only (per-class NMS). */
  classes?: tf.Tensor | ArrayLike<number>;
}

/** What {@link nonMaxSuppression} returns: indices into the input, best first, with their (decayed) scores. */
export interface NonMaxSuppressionResult {
  /** int32 `[k]`. */
  selectedIndices: tf.Tensor1D;
  /** float32 `[k]`: the input score, or the decayed one with soft-NMS. */
  selectedScores: tf.Tensor1D;
}

function iouOf(b: Float32Array, i: number, j: number): number {
  const iy1 = Math.min(b[4 * i] as number, b[4 * i + 2] as number);
  const ix1 = Math.min(b[4 * i + 1] as number, b[4 * i + 3] as number);
  const iy2 = Math.max(b[4 * i] as number, b[4 * i + 2] as number);
  const ix2 = Math.max(b[4 * i + 1] as number, b[4 * i + 3] as number);
  const jy1 = Math.min(b[4 * j] as number, b[4 * j + 2] as number);
  const jx1 = Math.min(b[4 * j + 1] as number, b[4 * j + 3] as number);
  const jy2 = Math.max(b[4 * j] as number, b[4 * j + 2] as number);
  const jx2 = Math.max(b[4 * j + 1] as number, b[4 * j + 3] as number);
  const areaI = (iy2 - iy1) * (ix2 - ix1);
  const areaJ = (jy2 - jy1) * (jx2 - jx1);
  if (areaI <= 0 || areaJ <= 0) return 0;
  const inter =
    Math.max(Math.min(iy2, jy2) - Math.max(iy1, jy1), 0) *
    Math.max(Math.min(ix2, jx2) - Math.max(ix1, jx1), 0);
  return inter / (areaI + areaJ - inter);
}

/**
 * Greedy non-max suppression on the host: the best remaining box is kept, then every other box of
 * its class is dropped (hard) or down-weighted (soft) by its overlap with it. Agrees with
 * `tf.image.nonMaxSuppression` / `nonMaxSuppressionWithScore`, and adds per-class suppression and
 * any box format.
 *
 * @example
 * ```ts
 * const { selectedIndices, selectedScores } = nonMaxSuppression(boxes, scores, { maxOutputSize: 100, iouThreshold: 0.5 });
 * ```
 */
export function nonMaxSuppression(
  boxes: tf.Tensor,
  scores: tf.Tensor,
  options: NonMaxSuppressionOptions,
): NonMaxSuppressionResult {
  const who = 'nonMaxSuppression';
  const {
    maxOutputSize,
    iouThreshold = 0.5,
    scoreThreshold = Number.NEGATIVE_INFINITY,
    softNmsSigma = 0,
    classes,
  } = options;
  const format = checkFormat(options.boundingBoxFormat ?? 'yxyx', who);
  checkBoxes(boxes, who);
  if (boxes.rank !== 2 || scores.rank !== 1 || scores.shape[0] !== boxes.shape[0]) {
    throw new ValueError(
      `${who}: expected boxes [N, 4] and scores [N], received boxes [${boxes.shape.join(', ')}] and scores [${scores.shape.join(', ')}].`,
    );
  }
  if (!Number.isInteger(maxOutputSize) || maxOutputSize < 0) {
    throw new ValueError(
      `${who}: maxOutputSize must be a non-negative integer. Received: maxOutputSize=${maxOutputSize}.`,
    );
  }
  if (iouThreshold < 0 || iouThreshold > 1)
    throw new ValueError(
      `${who}: iouThreshold must be in [0, 1]. Received: iouThreshold=${iouThreshold}.`,
    );
  const n = boxes.shape[0] as number;
  // Relative formats convert with a unit image: IoU is invariant to scaling an axis.
  const yxyx = convertFormat(boxes, {
    source: format,
    target: format.startsWith('rel_') ? 'rel_yxyx' : 'yxyx',
    height: 1,
    width: 1,
  });
  const b = yxyx.dataSync() as Float32Array;
  yxyx.dispose();
  const s = Float32Array.from(scores.dataSync());
  let cls: ArrayLike<number> | undefined;
  if (classes !== undefined) {
    cls = classes instanceof tf.Tensor ? classes.dataSync() : classes;
    if (cls.length !== n)
      throw new ValueError(
        `${who}: classes must have one entry per box (${n}), received ${cls.length}.`,
      );
  }
  const scale = softNmsSigma > 0 ? -0.5 / softNmsSigma : 0;
  const alive: number[] = [];
  for (let i = 0; i < n; i++) if ((s[i] as number) > scoreThreshold) alive.push(i);
  const current = Float32Array.from(s);
  const selected: number[] = [];
  const selectedScores: number[] = [];
  while (selected.length < maxOutputSize && alive.length > 0) {
    let best = 0;
    for (let k = 1; k < alive.length; k++) {
      if ((current[alive[k] as number] as number) > (current[alive[best] as number] as number))
        best = k;
    }
    const i = alive[best] as number;
    alive.splice(best, 1);
    selected.push(i);
    selectedScores.push(current[i] as number);
    for (let k = alive.length - 1; k >= 0; k--) {
      const j = alive[k] as number;
      if (cls && cls[j] !== cls[i]) continue;
      const iou = iouOf(b, i, j);
      const weight = iou <= iouThreshold ? Math.exp(scale * iou * iou) : 0;
      current[j] = (current[j] as number) * weight;
      if (!((current[j] as number) > scoreThreshold) || weight === 0) alive.splice(k, 1);
    }
  }
  return {
    selectedIndices: tf.tensor1d(selected, 'int32'),
    selectedScores: tf.tensor1d(selectedScores, 'float32'),
  };
}
