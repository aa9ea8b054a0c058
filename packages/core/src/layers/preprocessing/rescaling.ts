import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import type { LayerArgs } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { PreprocessingLayer } from './host-data.js';

/** Arguments of {@link Rescaling}. */
export interface RescalingArgs extends LayerArgs {
  /** Multiplier (a number, or per-channel list broadcast against the input). */
  scale: number | number[];
  /** Added after scaling. @default 0 */
  offset?: number | number[];
}

/**
 * `x * scale + offset`, e.g. `{ scale: 1 / 255 }` maps [0, 255] to [0, 1], `{ scale: 1 / 127.5, offset: -1 }` to [-1, 1].
 *
 * @example
 * ```ts
 * new Rescaling({ scale: 1 / 255 }).apply(tf.tensor1d([0, 255])); // [0, 1]
 * ```
 */
export class Rescaling extends PreprocessingLayer {
  static override readonly className = 'Rescaling';
  readonly scale: number | number[];
  readonly offset: number | number[];

  constructor(args: RescalingArgs) {
    super(args);
    const { scale, offset = 0 } = args;
    this.scale = scale;
    this.offset = offset;
    this.supportsMasking = true;
  }

  protected outputDtype(): tf.DataType {
    return 'float32';
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    const x = inputs.dtype === 'float32' ? inputs : tf.cast(inputs, 'float32');
    return tf.add(tf.mul(x, this.scale), this.offset);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}

registerKerasClass('keras.layers', Rescaling);
