import { saving, tf, ValueError } from '@cornu/core';
import { clipToImage } from '../../boxes/clip-to-image.js';
import {
  aspectRatioCropBox,
  aspectRatioPadBox,
  INTERPOLATIONS,
  type Interpolation,
  resizeImage,
} from '../../io/resize-image.js';
import { checkSize } from '../augmentation/random-crop.js';
import {
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
} from '../base-image-augmentation-layer.js';

/** Arguments of {@link Resizing}. */
export interface ResizingArgs extends BaseImageAugmentationLayerArgs {
  height: number;
  width: number;
  /** @default 'bilinear' */
  interpolation?: Interpolation;
  /** Resize the centred window of the target aspect ratio (no distortion). @default false */
  cropToAspectRatio?: boolean;
  /** Pad to the target aspect ratio first (no distortion). @default false */
  padToAspectRatio?: boolean;
  /** Padding value with `padToAspectRatio`. @default 0 */
  fillValue?: number;
  /** How `padToAspectRatio` fills: only `'constant'` (Keras's default and only fully supported mode). @default 'constant' */
  fillMode?: 'constant';
  /** Widen the kernel when downsampling. @default false */
  antialias?: boolean;
}

interface Window {
  top: number;
  left: number;
  height: number;
  width: number;
  /** true: the window is a crop (offset subtracted); false: a padded canvas (offset added). */
  crop: boolean;
}

/**
 * Resizes images to `[height, width]` (always, not only in training) with `resizeImage`'s
 * numerics; boxes are scaled (and cropped or shifted) the same way, masks resized with nearest sampling.
 */
export class Resizing extends BaseImageAugmentationLayer<Window> {
  static override readonly className = 'Resizing';
  protected override readonly alwaysActive = true;
  readonly height: number;
  readonly width: number;
  readonly interpolation: Interpolation;
  readonly cropToAspectRatio: boolean;
  readonly padToAspectRatio: boolean;
  readonly fillValue: number;
  readonly antialias: boolean;

  constructor(args: ResizingArgs) {
    super(args);
    const {
      height,
      width,
      interpolation = 'bilinear',
      cropToAspectRatio = false,
      padToAspectRatio = false,
      fillValue = 0,
      antialias = false,
      fillMode = 'constant',
    } = args;
    checkSize(height, width, this.who);
    if (fillMode !== 'constant')
      throw new ValueError(
        `${this.who}: fillMode must be 'constant'. Received: fillMode=${JSON.stringify(fillMode)}.`,
      );
    if (!INTERPOLATIONS.includes(interpolation)) {
      throw new ValueError(
        `${this.who}: unknown interpolation ${JSON.stringify(interpolation)}. Expected one of ${INTERPOLATIONS.join(', ')}.`,
      );
    }
    if (cropToAspectRatio && padToAspectRatio)
      throw new ValueError(
        `${this.who}: cropToAspectRatio and padToAspectRatio are exclusive; received both true.`,
      );
    this.height = height;
    this.width = width;
    this.interpolation = interpolation;
    this.cropToAspectRatio = cropToAspectRatio;
    this.padToAspectRatio = padToAspectRatio;
    this.fillValue = fillValue;
    this.antialias = antialias;
  }

  protected override outputSize(): [number, number] {
    return [this.height, this.width];
  }

  protected override sampleParameters(_batch: number, height: number, width: number): Window {
    if (this.cropToAspectRatio) {
      const [top, left, h, w] = aspectRatioCropBox(height, width, this.height, this.width);
      return { top, left, height: h, width: w, crop: true };
    }
    if (this.padToAspectRatio) {
      const [top, left, h, w] = aspectRatioPadBox(height, width, this.height, this.width);
      return { top, left, height: h, width: w, crop: false };
    }
    return { top: 0, left: 0, height, width, crop: true };
  }

  protected override augmentImages(images: tf.Tensor4D): tf.Tensor4D {
    return resizeImage(images, [this.height, this.width], {
      interpolation: this.interpolation,
      cropToAspectRatio: this.cropToAspectRatio,
      padToAspectRatio: this.padToAspectRatio,
      fillValue: this.fillValue,
      antialias: this.antialias,
    });
  }

  protected override augmentMasks(masks: tf.Tensor4D, window: Window): tf.Tensor4D {
    let m = tf.cast(masks, 'float32');
    const [, h, w] = m.shape;
    if (window.crop)
      m = tf.slice(m, [0, window.top, window.left, 0], [-1, window.height, window.width, -1]);
    else
      m = tf.pad(m, [
        [0, 0],
        [window.top, window.height - h - window.top],
        [window.left, window.width - w - window.left],
        [0, 0],
      ]);
    const out = tf.image.resizeNearestNeighbor(m, [this.height, this.width], false, true);
    return masks.dtype === 'float32' ? out : tf.cast(out, masks.dtype);
  }

  protected override augmentBoxes(
    boxes: tf.Tensor3D,
    labels: tf.Tensor2D,
    window: Window,
  ): { boxes: tf.Tensor3D; labels: tf.Tensor2D } {
    const sign = window.crop ? -1 : 1;
    const offset = tf.tensor1d([
      sign * window.left,
      sign * window.top,
      sign * window.left,
      sign * window.top,
    ]);
    const scale = tf.tensor1d([
      this.width / window.width,
      this.height / window.height,
      this.width / window.width,
      this.height / window.height,
    ]);
    const moved = tf.mul(tf.add(boxes, offset), scale);
    const clipped = clipToImage(
      { boxes: moved, labels },
      { height: this.height, width: this.width },
    );
    return { boxes: clipped.boxes as tf.Tensor3D, labels: clipped.labels as tf.Tensor2D };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      interpolation: this.interpolation,
      crop_to_aspect_ratio: this.cropToAspectRatio,
      pad_to_aspect_ratio: this.padToAspectRatio,
      fill_mode: 'constant',
      fill_value: this.fillValue,
      antialias: this.antialias,
    };
  }
}

saving.registerKerasClass('keras.layers', Resizing);
