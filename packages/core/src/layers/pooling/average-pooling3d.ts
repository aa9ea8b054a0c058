import { registerKerasClass } from '../../saving/registry.js';
import { type BasePoolingArgs, BasePooling } from './base-pooling.js';

/** Arguments of AveragePooling3D; see BasePoolingArgs. */
export type AveragePooling3DArgs = BasePoolingArgs;

/**
 * AveragePooling3D: the mean of each 3D window (poolSize, strides, padding).
 *
 * @example
 * ```ts
 * const layer = new AveragePooling3D({ poolSize: 2 });
 * ```
 */
export class AveragePooling3D extends BasePooling {
  static override readonly className: string = 'AveragePooling3D';

  constructor(args: AveragePooling3DArgs = {}) {
    super(3, 'average', args);
  }
}
registerKerasClass('keras.layers', AveragePooling3D, ['AvgPool3D']);
