import { saving, type tf, ValueError } from '@cornu/core';
import { aspectRatioCropBox, resizeImage } from '../../io/resize-image.js';
import {
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  type Matrix3,
  translation,
} from '../base-geometric-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomCrop}. */
export interface RandomCropArgs extends BaseGeometricLayerArgs {
  /** Output height. */
  height: number;
  /** Output width. */
  width: number;
}

/** Output-to-input matrix of "crop the centred window of the target aspect ratio, then resize" (half-pixel centres). */
export function resizeCropMatrix(
  height: number,
  width: number,
  targetHeight: number,
  targetWidth: number,
): Matrix3 {
  const [top, left, ch, cw] = aspectRatioCropBox(height, width, targetHeight, targetWidth);
  const sy = ch / targetHeight;
  const sx = cw / targetWidth;
  return [sx, 0, left + 0.5 * sx - 0.5, 0, sy, top + 0.5 * sy - 0.5, 0, 0, 1];
}

/**
 * The images of a resize-crop (matrices from {@link resizeCropMatrix} that scale): Keras's
 * `smart_resize` - the centred window of the target aspect ratio, resized - with sampling kept
 * inside the window. (tf.image.transform with the same matrix blends in the pixels just outside
 * the window at its edges when it upsamples, which Keras does not.) Null for plain crops.
 */
export function resizeCropImages(
  images: tf.Tensor4D,
  matrices: Matrix3[],
  height: number,
  width: number,
  interpolation: 'bilinear' | 'nearest',
): tf.Tensor4D | null {
  if (!matrices.some((m) => m[0] !== 1 || m[4] !== 1)) return null;
  return resizeImage(images, [height, width], { interpolation, cropToAspectRatio: true });
}

export function checkSize(height: number, width: number, who: string): void {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new ValueError(
      `${who}: height and width must be positive integers. Received: height=${height}, width=${width}.`,
    );
  }
}

/**
 * Crops a random `[height, width]` window of each image while training; at inference (or when the
 * image is smaller) it resizes the centred window of the target aspect ratio instead (Keras 3).
 * Boxes and masks follow.
 */
export class RandomCrop extends BaseGeometricLayer {
  static override readonly className = 'RandomCrop';
  // Keras's RandomCrop has no fill or interpolation arguments
  protected override readonly kerasFillKeys = [] as const;
  readonly height: number;
  readonly width: number;

  constructor(args: RandomCropArgs) {
    super(args, { fillMode: 'nearest' });
    checkSize(args.height, args.width, this.who);
    this.height = args.height;
    this.width = args.width;
  }

  protected override outputSize(): [number, number] {
    return [this.height, this.width];
  }

  protected override sampleMatrices(batch: number, height: number, width: number): Matrix3[] {
    return Array.from({ length: batch }, () => {
      if (height < this.height || width < this.width)
        return resizeCropMatrix(height, width, this.height, this.width);
      const top = Math.floor(this.uniform() * (height - this.height + 1));
      const left = Math.floor(this.uniform() * (width - this.width + 1));
      return translation(left, top);
    });
  }

  protected override inferenceParameters(
    batch: number,
    height: number,
    width: number,
  ): Matrix3[] | null {
    if (height === this.height && width === this.width) return null;
    return Array.from({ length: batch }, () =>
      resizeCropMatrix(height, width, this.height, this.width),
    );
  }

  protected override augmentImages(images: tf.Tensor4D, matrices: Matrix3[]): tf.Tensor4D {
    return (
      resizeCropImages(images, matrices, this.height, this.width, this.interpolation) ??
      super.augmentImages(images, matrices)
    );
  }

  override getConfig(): Config {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

saving.registerKerasClass('keras.layers', RandomCrop);
