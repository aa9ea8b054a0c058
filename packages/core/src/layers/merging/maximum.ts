import * as tf from '@tensorflow/tfjs-core';
import { registerKerasClass } from '../../saving/registry.js';
import { foldMasked, Merge, type MergeArgs } from './base-merge.js';

/** Arguments of `Maximum`. */
export type MaximumArgs = MergeArgs;

/**
 * Elementwise maximum of a list of inputs (broadcasting as Keras). With masks, an entry masked in
 * one input takes the other's value (Keras's merge-and-OR rule); the output mask is the OR of the
 * input masks when every input has one.
 *
 * @example
 * ```ts
 * const a = Input({ shape: [8] });
 * const b = Input({ shape: [8] });
 * const y = new layers.Maximum().apply([a, b]); // [null, 8]
 * ```
 */
export class Maximum extends Merge {
  static override readonly className: string = 'Maximum';

  protected override mergeFunction(
    inputs: tf.Tensor[],
    masks: (tf.Tensor | null)[] | null,
  ): tf.Tensor {
    return foldMasked(inputs, masks, tf.maximum);
  }
}
registerKerasClass('keras.layers', Maximum);
