import * as tf from '@tensorflow/tfjs-core';
import { InputSpec, type Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { knownDim, resolveAxis } from './axis.js';

/** x * rsqrt(mean(x^2, axes) + epsilon) * scale, scale shaped like `input[axes]`. */
export function rmsNormalize(
  x: tf.Tensor,
  axes: number[],
  scale: tf.Tensor,
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    const meanSquare = tf.mean(tf.square(x), axes, true);
    const shape = new Array<number>(x.rank).fill(1);
    for (const a of axes) shape[a] = x.shape[a] ?? 1;
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(meanSquare, epsilon))), tf.reshape(scale, shape));
  });
}

/** Arguments of {@link RMSNormalization}. */
export interface RMSNormalizationArgs extends LayerArgs {
  /** Axis or axes normalized. @default -1 */
  axis?: number | number[];
  /** Added to the mean square. @default 1e-6 */
  epsilon?: number;
}

/**
 * Root-mean-square normalization (Zhang & Sennrich, 2019): `x * rsqrt(mean(x^2) + epsilon) * scale`,
 * with one learned `scale` weight shaped like the normalized axes.
 *
 * @example
 * ```ts
 * const y = new RMSNormalization().apply(tf.randomNormal([2, 8]));
 * ```
 */
export class RMSNormalization extends Layer {
  static override readonly className = 'RMSNormalization';
  /** The axes as given; after build, a sorted list (as Keras stores them). */
  axis: number | number[];
  readonly epsilon: number;
  scale!: LayerVariable;

  constructor(args: RMSNormalizationArgs = {}) {
    super(args);
    const { axis = -1, epsilon = 1e-6 } = args;
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.epsilon = epsilon;
  }

  private axes(shape: Shape): number[] {
    return (Array.isArray(this.axis) ? this.axis : [this.axis])
      .map((a) => resolveAxis(a, shape, this.who))
      .sort((a, b) => a - b);
  }

  override build(inputShape: Shape): void {
    const axes = this.axes(inputShape);
    const shape = axes.map((a) => knownDim(inputShape, a, this.who));
    this.scale = this.addWeight({ name: 'scale', shape, initializer: 'ones' });
    this.axis = Array.isArray(this.axis) ? [...this.axis].sort((a, b) => a - b) : [this.axis];
    // The axes as given (-1 stays -1), so inputs of other ranks with the same feature axes pass.
    const given = this.axis.map((a) => [
      a,
      knownDim(inputShape, resolveAxis(a, inputShape, this.who), this.who),
    ]);
    this.inputSpec = new InputSpec({
      minNdim: Math.max(...this.axis.map((a) => (a < 0 ? -a : a + 1))),
      axes: Object.fromEntries(given),
    });
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return rmsNormalize(inputs, this.axes(inputs.shape), this.scale.read(), this.epsilon);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    this.axes(inputShape);
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis, epsilon: this.epsilon };
  }
}

registerKerasClass('keras.layers', RMSNormalization);
