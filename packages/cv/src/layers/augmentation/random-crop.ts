import { saving, ValueError } from '@cornu/core';
import { aspectRatioCropBox } from '../../io/resize-image.js';
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

  override getConfig(): Config {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

saving.registerSerializable('keras.layers')(RandomCrop);
