import { saving, tf } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomSharpness}. */
export interface RandomSharpnessArgs extends BaseColorLayerArgs {
  /**
   * Keras 3's factor in [0, 1]: each image gets `f ~ U(lower, upper)` (a number f means [0, f]) and
   * sharpness `2 f`, so 0 smooths, 0.5 leaves the image unchanged and 1 sharpens.
   */
  factor: Factor;
}

/**
 * Pillow's `ImageEnhance.Sharpness` with Keras 3's factor: blends each image with its 3x3-smoothed
 * copy (border pixels kept, as Pillow does; Keras smooths them against zero padding).
 */
export class RandomSharpness extends BaseColorLayer {
  static override readonly className = 'RandomSharpness';
  readonly factor: Factor;
  readonly #range: [number, number];

  constructor(args: RandomSharpnessArgs) {
    super(args);
    this.factor = args.factor;
    // Keras's meaning (Cornu used to draw the sharpness itself from [1 - lower, 1 + upper], so a
    // Keras config such as [0, 0.2] - mostly smoothing - sharpened instead)
    const pair: [number, number] = typeof args.factor === 'number' ? [0, args.factor] : args.factor;
    this.#range = factorRange(pair, this.who, 'factor', [0, 1]);
  }

  /** Per image: the sharpness (2 x the drawn factor). */
  protected override sampleParameters(batch: number): number[] {
    return Array.from({ length: batch }, () => 2 * this.uniform(...this.#range));
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

saving.registerKerasClass('keras.layers', RandomSharpness);
