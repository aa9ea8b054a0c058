/**
 * @cornu/cv: image I/O on sharp, image datasets, preprocessing and augmentation layers, bounding boxes.
 * Explicit named exports only.
 */
export {
  decodeImage,
  type ImageSource,
  type ReadImageOptions,
  readImage,
  type WriteImageOptions,
  writeImage,
} from './io/read-image.js';
export { type Interpolation, type ResizeImageOptions, resizeImage } from './io/resize-image.js';
export * as boxes from './boxes/index.js';
export type { BoundingBoxes } from './boxes/clip-to-image.js';
export type { BoxFormat } from './boxes/convert-format.js';
export {
  type NonMaxSuppressionOptions,
  type NonMaxSuppressionResult,
  nonMaxSuppression,
} from './boxes/non-max-suppression.js';
export {
  type PlotImageGalleryOptions,
  plotImageGallery,
} from './visualization/plot-image-gallery.js';
export {
  IMAGE_EXTENSIONS,
  type ImageDataset,
  type ImageDatasetFromDirectoryOptions,
  imageDatasetFromDirectory,
} from './io/image-dataset-from-directory.js';
export * from './layers/index.js';
