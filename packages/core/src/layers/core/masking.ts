import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/** Arguments of `new Masking(...)`. */
export interface MaskingArgs extends LayerArgs {
  /** Timesteps whose features all equal this value are masked. @default 0 */
  maskValue?: number;
}

/**
 * Masks timesteps whose features all equal `maskValue`: the output is the input with those
 * timesteps zeroed, and its mask (`any(x != maskValue, -1)`) reaches downstream layers.
 */
export class Masking extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    const { maskValue = 0, ...base } = args;
    super(base);
    this.maskValue = maskValue;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = inputs as tf.Tensor;
    return tf.tidy(() =>
      tf.mul(x, tf.cast(tf.any(tf.notEqual(x, this.maskValue), -1, true), x.dtype)),
    );
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], _mask?: Mask | Mask[]): Mask {
    return tf.any(tf.notEqual(inputs as tf.Tensor, this.maskValue), -1);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }
}

registerKerasClass('keras.layers', Masking);
