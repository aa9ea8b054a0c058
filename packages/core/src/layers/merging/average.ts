import * as tf from '@tensorflow/tfjs-core';
import { registerKerasClass } from '../../saving/registry.js';
import { Merge, type MergeArgs } from './base-merge.js';

/** Arguments of `Average`. */
export type AverageArgs = MergeArgs;

/**
 * Elementwise mean of a list of inputs (broadcasting as Keras; masks do not change the values,
 * as in Keras); the output mask is the OR of the input masks when every input has one.
 *
 * @example
 * ```ts
 * const a = Input({ shape: [8] });
 * const b = Input({ shape: [8] });
 * const y = new layers.Average().apply([a, b]); // [null, 8]
 * ```
 */
export class Average extends Merge {
  static override readonly className: string = 'Average';

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    const sum = inputs.slice(1).reduce((a, b) => tf.add(a, b), inputs[0] as tf.Tensor);
    return tf.div(sum, inputs.length);
  }
}
registerKerasClass('keras.layers', Average);
