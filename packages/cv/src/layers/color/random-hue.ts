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
  /** Hue shift range within [-1, 1], in half turns (1 = 180 degrees); f means [-f, f]. */
  factor: Factor;
}

/** Rotates each image's hue by a random angle (KerasCV's convention: factor 1 shifts by up to 180 degrees). */
export class RandomHue extends BaseColorLayer {
  static override readonly className = 'RandomHue';
  readonly factor: Factor;
  readonly #range: [number, number];

  constructor(args: RandomHueArgs) {
    super(args);
    this.factor = args.factor;
    this.#range = factorRange(args.factor, this.who);
  }

  protected override sampleParameters(batch: number): number[] {
    return Array.from({ length: batch }, () => this.uniform(...this.#range) / 2);
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

saving.registerSerializable('keras.layers')(RandomHue);
