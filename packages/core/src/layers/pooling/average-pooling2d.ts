import { registerKerasClass } from '../../saving/registry.js';
import { type BasePoolingArgs, BasePooling } from './base-pooling.js';

/** Arguments of AveragePooling2D; see BasePoolingArgs. */
export type AveragePooling2DArgs = BasePoolingArgs;

/**
 * AveragePooling2D: the mean of each 2D window (poolSize, strides, padding).
 *
 * @example
 * ```ts
 * const layer = new AveragePooling2D({ poolSize: 2 });
 * ```
 */
export class AveragePooling2D extends BasePooling {
  static override readonly className: string = 'AveragePooling2D';

  constructor(args: AveragePooling2DArgs = {}) {
    super(2, 'average', args);
  }
}
registerKerasClass('keras.layers', AveragePooling2D, ['AvgPool2D']);
