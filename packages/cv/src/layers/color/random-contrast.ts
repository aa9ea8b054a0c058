import { saving, tf, ValueError } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import type { Config, Factor } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomContrast}. */
export interface RandomContrastArgs extends BaseColorLayerArgs {
  /** The contrast factor is drawn from [1 - lower, 1 + upper]; f means [1 - f, 1 + f]. */
  factor: Factor;
}

/** Scales each image's deviation from its per-channel mean by a random factor (Keras's `(x - mean) * f + mean`). */
export class RandomContrast extends BaseColorLayer {
  static override readonly className = 'RandomContrast';
  readonly factor: Factor;
  readonly #range: [number, number];

  constructor(args: RandomContrastArgs) {
    super(args);
    this.factor = args.factor;
    const [lo, hi] = typeof args.factor === 'number' ? [args.factor, args.factor] : args.factor;
    if (!(lo >= 0 && lo <= 1 && hi >= 0)) {
      throw new ValueError(
        `${this.who}: factor must be f or [lower, upper] with lower in [0, 1] and upper >= 0. Received: factor=${JSON.stringify(args.factor)}.`,
      );
    }
    this.#range = [1 - lo, 1 + hi];
  }

  protected override sampleParameters(batch: number): number[] {
    return Array.from({ length: batch }, () => this.uniform(...this.#range));
  }

  protected override adjust(images: tf.Tensor4D, factors: number[]): tf.Tensor4D {
    const mean = tf.mean(images, [1, 2], true);
    return tf.add(tf.mul(tf.sub(images, mean), this.perImage(factors)), mean) as tf.Tensor4D;
  }

  override getConfig(): Config {
    // a number f is written as [f, f]: Keras reads a number f as [0, f] (contrast in [1, 1 + f],
    // against its own docstring), but a pair as Cornu does
    const factor = typeof this.factor === 'number' ? [this.factor, this.factor] : this.factor;
    return { ...super.getConfig(), factor };
  }
}

saving.registerKerasClass('keras.layers', RandomContrast);
