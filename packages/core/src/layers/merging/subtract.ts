import * as tf from '@tensorflow/tfjs-core';
import { registerKerasClass } from '../../saving/registry.js';
import { Merge, type MergeArgs } from './base-merge.js';

/** Arguments of `Subtract`. */
export type SubtractArgs = MergeArgs;

/**
 * Elementwise difference `inputs[0] - inputs[1]` of exactly two inputs (masks do not change the
 * values, as in Keras); the output mask is the OR of the input masks when both have one.
 *
 * @example
 * ```ts
 * const a = Input({ shape: [8] });
 * const b = Input({ shape: [8] });
 * const y = new layers.Subtract().apply([a, b]); // [null, 8]
 * ```
 */
export class Subtract extends Merge {
  static override readonly className: string = 'Subtract';
  protected override readonly minInputs: number = 2;
  protected override readonly maxInputs: number = 2;

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.sub(inputs[0] as tf.Tensor, inputs[1] as tf.Tensor);
  }
}
registerKerasClass('keras.layers', Subtract);
