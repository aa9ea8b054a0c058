import { saving, tf } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link RandomBrightness}. */
export interface RandomBrightnessArgs extends BaseColorLayerArgs {
  /** Shift as a fraction of the value range: f means [-f, f], within [-1, 1]. */
  factor: Factor;
}

/** Adds a random per-image offset to every pixel (clipped to the value range). */
export class RandomBrightness extends BaseColorLayer {
  static override readonly className = 'RandomBrightness';
  readonly factor: Factor;
  readonly #range: [number, number];

  constructor(args: RandomBrightnessArgs) {
    super(args);
    this.factor = args.factor;
    this.#range = factorRange(args.factor, this.who);
  }

  protected override sampleParameters(batch: number): number[] {
    return Array.from({ length: batch }, () => this.uniform(...this.#range));
  }

  protected override adjust(images: tf.Tensor4D, deltas: number[]): tf.Tensor4D {
    return tf.add(images, this.perImage(deltas));
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor };
  }
}

saving.registerKerasClass('keras.layers', RandomBrightness);
