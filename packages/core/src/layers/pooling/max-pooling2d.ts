import { registerKerasClass } from '../../saving/registry.js';
import { type BasePoolingArgs, BasePooling } from './base-pooling.js';

/** Arguments of MaxPooling2D; see BasePoolingArgs. */
export type MaxPooling2DArgs = BasePoolingArgs;

/**
 * MaxPooling2D: the maximum of each 2D window (poolSize, strides, padding).
 *
 * @example
 * ```ts
 * const layer = new MaxPooling2D({ poolSize: 2 });
 * ```
 */
export class MaxPooling2D extends BasePooling {
  static override readonly className: string = 'MaxPooling2D';

  constructor(args: MaxPooling2DArgs = {}) {
    super(2, 'max', args);
  }
}
registerKerasClass('keras.layers', MaxPooling2D, ['MaxPool2D']);
