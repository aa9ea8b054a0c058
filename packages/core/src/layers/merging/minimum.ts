import * as tf from '@tensorflow/tfjs-core';
import { registerKerasClass } from '../../saving/registry.js';
import { foldMasked, Merge, type MergeArgs } from './base-merge.js';

/** Arguments of `Minimum`. */
export type MinimumArgs = MergeArgs;

/**
 * Elementwise minimum of a list of inputs (broadcasting as Keras). With masks, an entry masked in
 * one input takes the other's value (Keras's merge-and-OR rule); the output mask is the OR of the
 * input masks when every input has one.
 *
 * @example
 * ```ts
 * const a = Input({ shape: [8] });
 * const b = Input({ shape: [8] });
 * const y = new layers.Minimum().apply([a, b]); // [null, 8]
 * ```
 */
export class Minimum extends Merge {
  static override readonly className: string = 'Minimum';

  protected override mergeFunction(
    inputs: tf.Tensor[],
    masks: (tf.Tensor | null)[] | null,
  ): tf.Tensor {
    return foldMasked(inputs, masks, tf.minimum);
  }
}
registerKerasClass('keras.layers', Minimum);
