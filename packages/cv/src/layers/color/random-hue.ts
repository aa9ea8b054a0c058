import { saving, tf } from '@cornu/core';
import {
  type BaseColorLayerArgs,
  BaseColorLayer,
  hsvToRgb,
  rgbToHsv,
} from '../base-color-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomHue}. */
export interface RandomHueArgs extends BaseColorLayerArgs {
  /**
   * Hue shift range in half turns (1 = 180 degrees), Keras 3's: each image is shifted by
   * `+-U(lower, upper) / 2` of a turn, the sign a fair coin; a number f means [0, f].
   */
  factor: Factor;
}

/** Rotates each image's hue by a random angle (factor 1 shifts by up to 180 degrees either way). */
export class RandomHue extends BaseColorLayer {
  static override readonly className = 'RandomHue';
  readonly factor: Factor;
  readonly #range: [number, number];

  constructor(args: RandomHueArgs) {
    super(args);
    this.factor = args.factor;
    // Keras reads a number f as [0, f] and flips the sign of the drawn shift at random, so its
    // config [0, f] means shifts in both directions (Cornu used to read it as positive shifts only)
    const pair: [number, number] =
      typeof args.factor === 'number' ? [0, Math.abs(args.factor)] : args.factor;
    this.#range = factorRange(pair, this.who);
  }

  /** Per image: the shift in turns (a sign coin, then the magnitude). */
  protected override sampleParameters(batch: number): number[] {
    return Array.from({ length: batch }, () => {
      const sign = this.uniform() > 0.5 ? -1 : 1;
      return (sign * this.uniform(...this.#range)) / 2;
    });
  }

  protected override adjust(images: tf.Tensor4D, shifts: number[]): tf.Tensor4D {
    this.checkRgb(images);
    const [h, s, v] = tf.split(rgbToHsv(images), 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    return hsvToRgb(
      tf.concat([tf.mod(tf.add(h, this.perImage(shifts)), 1), s, v], -1),
    ) as tf.Tensor4D;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor };
  }
}

saving.registerKerasClass('keras.layers', RandomHue);
