import { registerKerasClass } from '../../saving/registry.js';
import { type BasePoolingArgs, BasePooling } from './base-pooling.js';

/** Arguments of MaxPooling3D; see BasePoolingArgs. */
export type MaxPooling3DArgs = BasePoolingArgs;

/**
 * MaxPooling3D: the maximum of each 3D window (poolSize, strides, padding).
 *
 * @example
 * ```ts
 * const layer = new MaxPooling3D({ poolSize: 2 });
 * ```
 */
export class MaxPooling3D extends BasePooling {
  static override readonly className: string = 'MaxPooling3D';

  constructor(args: MaxPooling3DArgs = {}) {
    super(3, 'max', args);
  }
}
registerKerasClass('keras.layers', MaxPooling3D, ['MaxPool3D']);
