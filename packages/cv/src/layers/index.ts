/** Image preprocessing and augmentation layers. */
export {
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  type FillMode,
  type Matrix3,
} from './base-geometric-layer.js';
export {
  type AugmentationInputs,
  type AugmentationOutputs,
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Factor,
} from './base-image-augmentation-layer.js';
export { RandomCrop, type RandomCropArgs } from './augmentation/random-crop.js';
export { RandomFlip, type RandomFlipArgs } from './augmentation/random-flip.js';
export {
  homography,
  RandomPerspective,
  type RandomPerspectiveArgs,
} from './augmentation/random-perspective.js';
export { RandomRotation, type RandomRotationArgs } from './augmentation/random-rotation.js';
export { RandomShear, type RandomShearArgs } from './augmentation/random-shear.js';
export {
  RandomTranslation,
  type RandomTranslationArgs,
} from './augmentation/random-translation.js';
export { RandomZoom, type RandomZoomArgs } from './augmentation/random-zoom.js';
export { CenterCrop, type CenterCropArgs } from './preprocessing/center-crop.js';
export { Rescaling, type RescalingArgs } from './preprocessing/rescaling.js';
export { Resizing, type ResizingArgs } from './preprocessing/resizing.js';
export { type BaseColorLayerArgs, BaseColorLayer, hsvToRgb, rgbToHsv } from './base-color-layer.js';
export { AutoContrast, type AutoContrastArgs } from './color/auto-contrast.js';
export { RandomBrightness, type RandomBrightnessArgs } from './color/random-brightness.js';
export { RandomContrast, type RandomContrastArgs } from './color/random-contrast.js';
export { RandomGrayscale, type RandomGrayscaleArgs } from './color/random-grayscale.js';
export { RandomHue, type RandomHueArgs } from './color/random-hue.js';
export { RandomInvert, type RandomInvertArgs } from './color/random-invert.js';
export { RandomPosterization, type RandomPosterizationArgs } from './color/random-posterization.js';
export { RandomSaturation, type RandomSaturationArgs } from './color/random-saturation.js';
export { Solarization, type SolarizationArgs } from './color/solarization.js';
export { Equalization, type EqualizationArgs } from './color/equalization.js';
export {
  gaussianKernel,
  RandomGaussianBlur,
  type RandomGaussianBlurArgs,
} from './color/random-gaussian-blur.js';
export { RandomSharpness, type RandomSharpnessArgs } from './color/random-sharpness.js';
export { CutMix, type CutMixArgs } from './augmentation/cut-mix.js';
export { GridMask, type GridMaskArgs } from './augmentation/grid-mask.js';
export { MixUp, type MixUpArgs } from './augmentation/mix-up.js';
export { RandomErasing, type RandomErasingArgs } from './augmentation/random-erasing.js';
export { RandomColorJitter, type RandomColorJitterArgs } from './color/random-color-jitter.js';
export { Mosaic, type MosaicArgs } from './augmentation/mosaic.js';
export { AugMix, type AugMixArgs } from './augmentation/aug-mix.js';
export { RandAugment, type RandAugmentArgs } from './augmentation/rand-augment.js';
export {
  RandomElasticTransform,
  type RandomElasticTransformArgs,
} from './augmentation/random-elastic-transform.js';
