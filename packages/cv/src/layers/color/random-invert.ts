import { type ProbabilityFactor, probabilityRange } from '../base-image-augmentation-layer.js';
import { saving, tf } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomInvert}. */
export interface RandomInvertArgs extends BaseColorLayerArgs {
  /** Probability of inverting an image. @default 1 */
  /** Keras's probability factor: `f` means p ~ U(0, f) per image (see `probabilityRange`). @default 1 */
  factor?: ProbabilityFactor;
}

/** Inverts images (`max + min - x` over the value range), each with a probability drawn from `factor`. */
export class RandomInvert extends BaseColorLayer {
  static override readonly className = 'RandomInvert';
  readonly factor: [number, number];

  constructor(args: RandomInvertArgs = {}) {
    super(args);
    const { factor = 1 } = args;
    this.factor = probabilityRange(factor, this.who);
  }

  protected override sampleParameters(batch: number): number[] {
    return Array.from({ length: batch }, () => (this.drawApplied(this.factor) ? 1 : 0));
  }

  protected override adjust(images: tf.Tensor4D, invert: number[]): tf.Tensor4D {
    const w = this.perImage(invert);
    return tf.add(tf.mul(tf.sub(1, images), w), tf.mul(images, tf.sub(1, w))) as tf.Tensor4D;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor };
  }
}

saving.registerKerasClass('keras.layers', RandomInvert);
