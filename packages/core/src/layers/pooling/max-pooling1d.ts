import { registerKerasClass } from '../../saving/registry.js';
import { type BasePoolingArgs, BasePooling } from './base-pooling.js';

/** Arguments of MaxPooling1D; see BasePoolingArgs. */
export type MaxPooling1DArgs = BasePoolingArgs;

/**
 * MaxPooling1D: the maximum of each 1D window (poolSize, strides, padding).
 *
 * @example
 * ```ts
 * const layer = new MaxPooling1D({ poolSize: 2 });
 * ```
 */
export class MaxPooling1D extends BasePooling {
  static override readonly className: string = 'MaxPooling1D';

  constructor(args: MaxPooling1DArgs = {}) {
    super(1, 'max', args);
  }
}
registerKerasClass('keras.layers', MaxPooling1D, ['MaxPool1D']);
