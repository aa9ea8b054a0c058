import * as tf from '@tensorflow/tfjs-core';
import { registerKerasClass } from '../../saving/registry.js';
import { foldWithIdentity, Merge, type MergeArgs } from './base-merge.js';

/** Arguments of `Multiply`. */
export type MultiplyArgs = MergeArgs;

/**
 * Elementwise product of a list of inputs (broadcasting as Keras). Masked entries count as 1
 * (0 where every input is masked); the output mask is the OR of the input masks when every input
 * has one.
 *
 * @example
 * ```ts
 * const a = Input({ shape: [8] });
 * const b = Input({ shape: [8] });
 * const y = new layers.Multiply().apply([a, b]); // [null, 8]
 * ```
 */
export class Multiply extends Merge {
  static override readonly className: string = 'Multiply';

  protected override mergeFunction(
    inputs: tf.Tensor[],
    masks: (tf.Tensor | null)[] | null,
  ): tf.Tensor {
    const product = foldWithIdentity(inputs, masks, 1, tf.mul);
    if (!masks || masks.some((m) => m === null)) return product;
    // Keras: where every input is masked the product is 0, not the identity.
    const any = (masks as tf.Tensor[]).reduce((a, b) => tf.logicalOr(a, b));
    return tf.where(any, product, tf.zerosLike(product));
  }
}
registerKerasClass('keras.layers', Multiply);
