import { saving, tf } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomSharpness}. */
export interface RandomSharpnessArgs extends BaseColorLayerArgs {
  /** The sharpness is drawn from [1 - lower, 1 + upper] (0 = smoothed, 1 = unchanged, 2 = sharpened); f means [1 - f, 1 + f]. */
  factor: Factor;
}

/** Pillow's `ImageEnhance.Sharpness`: blends each image with its 3x3-smoothed copy (border pixels kept). */
export class RandomSharpness extends BaseColorLayer {
  static override readonly className = 'RandomSharpness';
  readonly factor: Factor;
  readonly #range: [number, number];

  constructor(args: RandomSharpnessArgs) {
    super(args);
    this.factor = args.factor;
    const [lo, hi] =
      typeof args.factor === 'number'
        ? [-args.factor, args.factor]
        : [-args.factor[0], args.factor[1]];
    factorRange([lo, hi], this.who, 'factor', [-1, Number.POSITIVE_INFINITY]);
    this.#range = [1 + lo, 1 + hi];
  }

  protected override sampleParameters(batch: number): number[] {
    return Array.from({ length: batch }, () => this.uniform(...this.#range));
  }

  protected override adjust(images: tf.Tensor4D, factors: number[]): tf.Tensor4D {
    const [, h, w, c] = images.shape;
    // every pixel is a border pixel (kept by Pillow's smoothing): the image is unchanged. A 3x3
    // 'valid' convolution of a smaller image has no output and breaks the WASM backend.
    if (h < 3 || w < 3) return tf.clone(images);
    const kernel = tf.tile(
      tf.reshape(tf.div(tf.tensor2d([1, 1, 1, 1, 5, 1, 1, 1, 1], [3, 3]), 13), [3, 3, 1, 1]),
      [1, 1, c, 1],
    ) as tf.Tensor4D;
    let smooth = tf.depthwiseConv2d(images, kernel, 1, 'valid');
    smooth = tf.pad(smooth, [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    const interior = tf.pad(tf.ones([1, Math.max(h - 2, 0), Math.max(w - 2, 0), 1]), [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ]);
    const blurred = tf.add(tf.mul(smooth, interior), tf.mul(images, tf.sub(1, interior)));
    return tf.add(blurred, tf.mul(tf.sub(images, blurred), this.perImage(factors))) as tf.Tensor4D;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor };
  }
}

saving.registerSerializable('keras.layers')(RandomSharpness);
