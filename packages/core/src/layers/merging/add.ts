import * as tf from '@tensorflow/tfjs-core';
import { registerKerasClass } from '../../saving/registry.js';
import { foldWithIdentity, Merge, type MergeArgs } from './base-merge.js';

/** Arguments of `Add`. */
export type AddArgs = MergeArgs;

/**
 * Elementwise sum of a list of inputs (broadcasting as Keras). Masked entries count as 0; the
 * output mask is the OR of the input masks when every input has one.
 *
 * @example
 * ```ts
 * const a = Input({ shape: [8] });
 * const b = Input({ shape: [8] });
 * const y = new layers.Add().apply([a, b]); // [null, 8]
 * ```
 */
export class Add extends Merge {
  static override readonly className: string = 'Add';

  protected override mergeFunction(
    inputs: tf.Tensor[],
    masks: (tf.Tensor | null)[] | null,
  ): tf.Tensor {
    return foldWithIdentity(inputs, masks, 0, tf.add);
  }
}
registerKerasClass('keras.layers', Add);
