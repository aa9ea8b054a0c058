import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { resolveAxis } from './axis.js';

/**
 * Keras's l2 normalization over `axes` with epsilon 1e-12: `x * min(rsqrt(sum(x^2)), 1 / 1e-12)`,
 * written as `x * rsqrt(max(sum(x^2), 1e-24))`.
 */
export function unitNormalize(x: tf.Tensor, axes: number[]): tf.Tensor {
  return tf.tidy(() => {
    const squareSum = tf.sum(tf.square(x), axes, true);
    return tf.mul(x, tf.rsqrt(tf.maximum(squareSum, 1e-24)));
  });
}

/** Arguments of {@link UnitNormalization}. */
export interface UnitNormalizationArgs extends LayerArgs {
  /** Axis or axes along which each sample is scaled to unit l2 norm. @default -1 */
  axis?: number | number[];
}

/**
 * Scales each sample to unit l2 norm along `axis` (no weights).
 *
 * @example
 * ```ts
 * const y = new UnitNormalization().apply(tf.tensor2d([[3, 4]])); // [[0.6, 0.8]]
 * ```
 */
export class UnitNormalization extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'UnitNormalization';
  readonly axis: number | number[];

  constructor(args: UnitNormalizationArgs = {}) {
    super(args);
    const { axis = -1 } = args;
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.supportsMasking = true;
  }

  private axes(shape: Shape): number[] {
    return (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) =>
      resolveAxis(a, shape, this.who),
    );
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return unitNormalize(inputs, this.axes(inputs.shape));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    this.axes(inputShape);
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerKerasClass('keras.layers', UnitNormalization);
