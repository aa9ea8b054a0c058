import { saving, tf } from '@cornu/core';
import {
  type BaseColorLayerArgs,
  BaseColorLayer,
  hsvToRgb,
  rgbToHsv,
} from '../base-color-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomSaturation}. */
export interface RandomSaturationArgs extends BaseColorLayerArgs {
  /**
   * Range of s (0 = grayscale, 0.5 = unchanged, 1 = fully saturated); a number f means
   * [0.5 - f / 2, 0.5 + f / 2]. A pair may reach down to -1 (s <= 0 gives grey), as Keras's
   * configs for a number factor do.
   */
  factor: Factor;
}

/**
 * Scales each image's HSV saturation by `s / (1 - s)`, with `s` drawn from `factor` (Keras 3's
 * convention: s = 0 gives grayscale, 0.5 leaves the image unchanged, 1 saturates fully). A number
 * f means [0.5 - f / 2, 0.5 + f / 2].
 */
export class RandomSaturation extends BaseColorLayer {
  static override readonly className = 'RandomSaturation';
  readonly factor: Factor;
  readonly #range: [number, number];

  constructor(args: RandomSaturationArgs) {
    super(args);
    this.factor = args.factor;
    const pair: [number, number] =
      typeof args.factor === 'number'
        ? [0.5 - args.factor / 2, 0.5 + args.factor / 2]
        : args.factor;
    // Keras reads a number f as [-f, f] and writes that pair; an s below 0 gives a negative scale,
    // which the clip to [0, 1] turns into grey, as in Keras. Accepting it lets those configs load.
    this.#range = factorRange(pair, this.who, 'factor', [-1, 1]);
  }

  protected override sampleParameters(batch: number): number[] {
    return Array.from({ length: batch }, () => {
      const s = this.uniform(...this.#range);
      return s >= 1 ? 1e6 : s / (1 - s);
    });
  }

  protected override adjust(images: tf.Tensor4D, scales: number[]): tf.Tensor4D {
    this.checkRgb(images);
    const hsv = rgbToHsv(images);
    const [h, s, v] = tf.split(hsv, 3, -1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    return hsvToRgb(
      tf.concat([h, tf.clipByValue(tf.mul(s, this.perImage(scales)), 0, 1), v], -1),
    ) as tf.Tensor4D;
  }

  override getConfig(): Config {
    // the pair, not a number f: Keras would read f as [-f, f] rather than [0.5 - f / 2, 0.5 + f / 2]
    return { ...super.getConfig(), factor: [...this.#range] };
  }
}

saving.registerKerasClass('keras.layers', RandomSaturation);
