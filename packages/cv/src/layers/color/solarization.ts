import { saving, tf } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import { type Config, type Factor, factorRange } from '../base-image-augmentation-layer.js';

/** Arguments of {@link Solarization}. */
export interface SolarizationArgs extends BaseColorLayerArgs {
  /** Fraction of the value range added before solarizing, drawn from [0, f] (or a pair). @default 0 */
  additionFactor?: Factor;
  /**
   * The threshold, as a fraction of the value range, drawn from [0, f] (or a pair): pixels at or
   * above it are inverted, so the default 0 inverts every pixel (Keras 3, KerasCV). @default 0
   */
  thresholdFactor?: Factor;
}

function nonNegativeRange(factor: Factor, who: string, argument: string): [number, number] {
  return factorRange(typeof factor === 'number' ? [0, factor] : factor, who, argument, [0, 1]);
}

/**
 * Keras 3's Solarization: adds an optional offset, then inverts (`max + min - x`) the pixels at or
 * above a threshold. Active only in training.
 */
export class Solarization extends BaseColorLayer<{ additions: number[]; thresholds: number[] }> {
  static override readonly className = 'Solarization';
  readonly additionFactor: Factor;
  readonly thresholdFactor: Factor;
  readonly #addition: [number, number];
  readonly #threshold: [number, number];

  constructor(args: SolarizationArgs = {}) {
    super(args);
    const { additionFactor = 0, thresholdFactor = 0 } = args;
    this.additionFactor = additionFactor;
    this.thresholdFactor = thresholdFactor;
    this.#addition = nonNegativeRange(additionFactor, this.who, 'additionFactor');
    this.#threshold = nonNegativeRange(thresholdFactor, this.who, 'thresholdFactor');
  }

  protected override sampleParameters(batch: number): {
    additions: number[];
    thresholds: number[];
  } {
    // Keras draws `uniform(lo, hi * 255)` for both (its lower bound is not scaled to the range);
    // Cornu scales both bounds, the documented meaning of the factors.
    return {
      additions: Array.from({ length: batch }, () => this.uniform(...this.#addition)),
      thresholds: Array.from({ length: batch }, () => this.uniform(...this.#threshold)),
    };
  }

  protected override adjust(
    images: tf.Tensor4D,
    params: { additions: number[]; thresholds: number[] },
  ): tf.Tensor4D {
    const x = tf.clipByValue(tf.add(images, this.perImage(params.additions)), 0, 1);
    return tf.where(tf.less(x, this.perImage(params.thresholds)), x, tf.sub(1, x)) as tf.Tensor4D;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      addition_factor: this.additionFactor,
      threshold_factor: this.thresholdFactor,
    };
  }
}

saving.registerKerasClass('keras.layers', Solarization);
