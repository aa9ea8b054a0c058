import { registerKerasClass } from '../../saving/registry.js';
import { type BaseGlobalPoolingArgs, BaseGlobalPooling } from './base-global-pooling.js';

/** Arguments of GlobalAveragePooling2D; see BaseGlobalPoolingArgs. */
export type GlobalAveragePooling2DArgs = BaseGlobalPoolingArgs;

/**
 * GlobalAveragePooling2D: the mean over the 2 spatial axes, [batch, ..., channels] -> [batch, channels].
 *
 * @example
 * ```ts
 * const layer = new GlobalAveragePooling2D({ keepdims: false });
 * ```
 */
export class GlobalAveragePooling2D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling2D';

  constructor(args: GlobalAveragePooling2DArgs = {}) {
    super(2, 'average', args);
  }
}
registerKerasClass('keras.layers', GlobalAveragePooling2D, ['GlobalAvgPool2D']);
