import { registerKerasClass } from '../../saving/registry.js';
import { type BaseGlobalPoolingArgs, BaseGlobalPooling } from './base-global-pooling.js';

/** Arguments of GlobalMaxPooling3D; see BaseGlobalPoolingArgs. */
export type GlobalMaxPooling3DArgs = BaseGlobalPoolingArgs;

/**
 * GlobalMaxPooling3D: the maximum over the 3 spatial axes, [batch, ..., channels] -> [batch, channels].
 *
 * @example
 * ```ts
 * const layer = new GlobalMaxPooling3D({ keepdims: false });
 * ```
 */
export class GlobalMaxPooling3D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling3D';

  constructor(args: GlobalMaxPooling3DArgs = {}) {
    super(3, 'max', args);
  }
}
registerKerasClass('keras.layers', GlobalMaxPooling3D, ['GlobalMaxPool3D']);
