/** Bounding-box utilities: formats, IoU, clipping, detector targets, padding. */
export { type BoundingBoxes, type ClipToImageOptions, clipToImage } from './clip-to-image.js';
export {
  BOX_FORMATS,
  type BoxFormat,
  type ConvertFormatOptions,
  convertFormat,
} from './convert-format.js';
export { type BoxTargetOptions, decodeBoxTargets, encodeBoxTargets } from './box-targets.js';
export { type RaggedBoundingBoxes, toDense, toRagged } from './dense.js';
export { computeCIoU, computeGIoU, computeIoU, type IoUOptions } from './iou.js';
export {
  type NonMaxSuppressionOptions,
  type NonMaxSuppressionResult,
  nonMaxSuppression,
} from './non-max-suppression.js';
