import { registerKerasClass } from '../../saving/registry.js';
import { type BaseGlobalPoolingArgs, BaseGlobalPooling } from './base-global-pooling.js';

/** Arguments of GlobalAveragePooling3D; see BaseGlobalPoolingArgs. */
export type GlobalAveragePooling3DArgs = BaseGlobalPoolingArgs;

/**
 * GlobalAveragePooling3D: the mean over the 3 spatial axes, [batch, ..., channels] -> [batch, channels].
 *
 * @example
 * ```ts
 * const layer = new GlobalAveragePooling3D({ keepdims: false });
 * ```
 */
export class GlobalAveragePooling3D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling3D';

  constructor(args: GlobalAveragePooling3DArgs = {}) {
    super(3, 'average', args);
  }
}
registerKerasClass('keras.layers', GlobalAveragePooling3D, ['GlobalAvgPool3D']);
