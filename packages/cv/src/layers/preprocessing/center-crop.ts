import { saving, type tf } from '@cornu/core';
import { checkSize, resizeCropImages, resizeCropMatrix } from '../augmentation/random-crop.js';
import {
  type BaseGeometricLayerArgs,
  BaseGeometricLayer,
  type Matrix3,
  translation,
} from '../base-geometric-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link CenterCrop}. */
export interface CenterCropArgs extends BaseGeometricLayerArgs {
  height: number;
  width: number;
}

/**
 * Crops the centred `[height, width]` window (at inference and in training); an image smaller
 * than that is resized from its centred window of the target aspect ratio instead. Boxes and masks follow.
 */
export class CenterCrop extends BaseGeometricLayer {
  static override readonly className = 'CenterCrop';
  // Keras's CenterCrop has no fill or interpolation arguments
  protected override readonly kerasFillKeys = [] as const;
  protected override readonly alwaysActive = true;
  readonly height: number;
  readonly width: number;

  constructor(args: CenterCropArgs) {
    super(args, { fillMode: 'nearest' });
    checkSize(args.height, args.width, this.who);
    this.height = args.height;
    this.width = args.width;
  }

  protected override outputSize(): [number, number] {
    return [this.height, this.width];
  }

  protected override sampleMatrices(batch: number, height: number, width: number): Matrix3[] {
    const m =
      height < this.height || width < this.width
        ? resizeCropMatrix(height, width, this.height, this.width)
        : translation(Math.floor((width - this.width) / 2), Math.floor((height - this.height) / 2));
    return Array.from({ length: batch }, () => m);
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

saving.registerKerasClass('keras.layers', CenterCrop);
