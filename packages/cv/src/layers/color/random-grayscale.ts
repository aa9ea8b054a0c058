import { saving, tf, ValueError } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer, luma } from '../base-color-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomGrayscale}. */
export interface RandomGrayscaleArgs extends BaseColorLayerArgs {
  /** Probability of turning an image gray. @default 0.5 */
  factor?: number;
}

/** Turns images gray (ITU-R 601 luma, repeated over the 3 channels) with probability `factor`. */
export class RandomGrayscale extends BaseColorLayer {
  static override readonly className = 'RandomGrayscale';
  readonly factor: number;

  constructor(args: RandomGrayscaleArgs = {}) {
    super(args);
    const { factor = 0.5 } = args;
    if (!(factor >= 0 && factor <= 1))
      throw new ValueError(
        `${this.who}: factor must be a probability in [0, 1]. Received: factor=${factor}.`,
      );
    this.factor = factor;
  }

  protected override sampleParameters(batch: number): number[] {
    return Array.from({ length: batch }, () => (this.uniform() < this.factor ? 1 : 0));
  }

  protected override adjust(images: tf.Tensor4D, gray: number[]): tf.Tensor4D {
    this.checkRgb(images);
    const g = tf.tile(luma(images), [1, 1, 1, 3]);
    const w = this.perImage(gray);
    return tf.add(tf.mul(g, w), tf.mul(images, tf.sub(1, w))) as tf.Tensor4D;
  }

  override getConfig(): Config {
    const config: Config = { ...super.getConfig(), factor: this.factor };
    // Keras's RandomGrayscale takes no value_range (gray values stay in any range) and does not
    // write its seed: both written only when set
    if (this.valueRange[0] === 0 && this.valueRange[1] === 255) delete config.value_range;
    if (this.seed === null) delete config.seed;
    return config;
  }
}

saving.registerKerasClass('keras.layers', RandomGrayscale);
