import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/**
 * Keras's parametrized ReLU: `x` where `x > threshold`, else `negativeSlope * (x - threshold)`,
 * with the positive part clipped to `maxValue` when given.
 */
export function reluWith(
  x: tf.Tensor,
  negativeSlope: number,
  maxValue: number | null,
  threshold: number,
): tf.Tensor {
  return tf.tidy(() => {
    if (negativeSlope !== 0 && maxValue === null && threshold === 0)
      return tf.leakyRelu(x, negativeSlope);
    let y = threshold !== 0 ? tf.mul(x, tf.cast(tf.greater(x, threshold), x.dtype)) : tf.relu(x);
    if (maxValue !== null) y = tf.clipByValue(y, 0, maxValue);
    if (negativeSlope !== 0) y = tf.sub(y, tf.mul(tf.relu(tf.sub(threshold, x)), negativeSlope));
    return y;
  });
}

/** Arguments of {@link ReLU}. */
export interface ReLUArgs extends LayerArgs {
  /** Upper clip of the output; null for none. @default null */
  maxValue?: number | null;
  /** Slope below the threshold. @default 0 */
  negativeSlope?: number;
  /** Values above it pass; values below get the negative slope. @default 0 */
  threshold?: number;
}

/**
 * Rectified linear unit with Keras's options: `maxValue`, `negativeSlope`, `threshold`.
 *
 * @example
 * ```ts
 * new ReLU({ maxValue: 6 }).apply(tf.tensor1d([-1, 3, 9])); // [0, 3, 6]
 * ```
 */
export class ReLU extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'ReLU';
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    const { maxValue = null, negativeSlope = 0, threshold = 0 } = args;
    if (maxValue !== null && !(maxValue >= 0)) {
      throw new ValueError(
        `${this.who}: max_value must be >= 0 or null. Received: max_value=${maxValue}.`,
      );
    }
    if (!(negativeSlope >= 0)) {
      throw new ValueError(
        `${this.who}: negative_slope must be a number >= 0. Received: negative_slope=${negativeSlope}.`,
      );
    }
    if (!Number.isFinite(threshold)) {
      throw new ValueError(
        `${this.who}: threshold must be a finite number. Received: threshold=${threshold}.`,
      );
    }
    this.maxValue = maxValue;
    this.negativeSlope = negativeSlope;
    this.threshold = threshold;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return reluWith(inputs, this.negativeSlope, this.maxValue, this.threshold);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      max_value: this.maxValue,
      negative_slope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}

registerKerasClass('keras.layers', ReLU);
