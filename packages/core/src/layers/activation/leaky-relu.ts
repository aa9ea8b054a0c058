import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/** Arguments of {@link LeakyReLU}. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for negative inputs. @default 0.3 */
  negativeSlope?: number;
}

/**
 * `x` for `x >= 0`, `negativeSlope * x` otherwise.
 *
 * @example
 * ```ts
 * new LeakyReLU().apply(tf.tensor1d([-1, 2])); // [-0.3, 2]
 * ```
 */
export class LeakyReLU extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'LeakyReLU';
  readonly negativeSlope: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    const { negativeSlope = 0.3 } = args;
    if (!(negativeSlope >= 0)) {
      throw new ValueError(
        `${this.who}: negative_slope must be a number >= 0. Received: negative_slope=${negativeSlope}.`,
      );
    }
    this.negativeSlope = negativeSlope;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(inputs, this.negativeSlope);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), negative_slope: this.negativeSlope };
  }
}

registerKerasClass('keras.layers', LeakyReLU);
