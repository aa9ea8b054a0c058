import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/** `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise. */
export function eluWith(x: tf.Tensor, alpha: number): tf.Tensor {
  return tf.tidy(() => {
    if (alpha === 1) return tf.elu(x);
    return tf.where(tf.greater(x, 0), x, tf.mul(tf.expm1(tf.minimum(x, 0)), alpha));
  });
}

/** Arguments of {@link ELU}. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part. @default 1 */
  alpha?: number;
}

/**
 * Exponential linear unit: `x` for `x > 0`, `alpha * (exp(x) - 1)` otherwise.
 *
 * @example
 * ```ts
 * new ELU().apply(tf.tensor1d([-1, 2])); // [-0.632, 2]
 * ```
 */
export class ELU extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'ELU';
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    const { alpha = 1 } = args;
    this.alpha = alpha;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return eluWith(inputs, this.alpha);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

registerKerasClass('keras.layers', ELU);
