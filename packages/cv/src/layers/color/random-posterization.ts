import { saving, tf, ValueError } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomPosterization}. */
export interface RandomPosterizationArgs extends BaseColorLayerArgs {
  /** Bits kept per channel, drawn from [1, f] (or a [lower, upper] pair) within [1, 8]. */
  factor: number | [number, number];
}

/** Keeps only the top `bits` bits of each 8-bit channel value (`bits` drawn per image). */
export class RandomPosterization extends BaseColorLayer {
  static override readonly className = 'RandomPosterization';
  readonly factor: number | [number, number];
  readonly #range: [number, number];

  constructor(args: RandomPosterizationArgs) {
    super(args);
    this.factor = args.factor;
    const [lo, hi] = typeof args.factor === 'number' ? [1, args.factor] : args.factor;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > 8 || lo > hi) {
      throw new ValueError(
        `${this.who}: factor must be bits in [1, 8] (a number or a [lower, upper] pair of integers). Received: factor=${JSON.stringify(args.factor)}.`,
      );
    }
    this.#range = [lo, hi];
  }

  protected override sampleParameters(batch: number): number[] {
    const [lo, hi] = this.#range;
    return Array.from(
      { length: batch },
      () => 2 ** (8 - (lo + Math.floor(this.uniform() * (hi - lo + 1)))),
    );
  }

  protected override adjust(images: tf.Tensor4D, steps: number[]): tf.Tensor4D {
    const step = this.perImage(steps);
    // Keras casts to uint8, which truncates (Cornu used to round, so 127.6 kept 4 bits as 128
    // rather than 112); the 1e-3 absorbs the float32 round trip through [0, 1] of whole values
    const bytes = tf.floor(tf.add(tf.mul(images, 255), 1e-3));
    return tf.div(tf.mul(tf.floor(tf.div(bytes, step)), step), 255) as tf.Tensor4D;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor };
  }
}

saving.registerKerasClass('keras.layers', RandomPosterization);
