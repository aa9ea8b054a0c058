import { registerKerasClass } from '../../saving/registry.js';
import { type BasePoolingArgs, BasePooling } from './base-pooling.js';

/** Arguments of AveragePooling1D; see BasePoolingArgs. */
export type AveragePooling1DArgs = BasePoolingArgs;

/**
 * AveragePooling1D: the mean of each 1D window (poolSize, strides, padding).
 *
 * @example
 * ```ts
 * const layer = new AveragePooling1D({ poolSize: 2 });
 * ```
 */
export class AveragePooling1D extends BasePooling {
  static override readonly className: string = 'AveragePooling1D';

  constructor(args: AveragePooling1DArgs = {}) {
    super(1, 'average', args);
  }
}
registerKerasClass('keras.layers', AveragePooling1D, ['AvgPool1D']);
