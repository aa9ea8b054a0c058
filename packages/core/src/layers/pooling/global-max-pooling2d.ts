import { registerKerasClass } from '../../saving/registry.js';
import { type BaseGlobalPoolingArgs, BaseGlobalPooling } from './base-global-pooling.js';

/** Arguments of GlobalMaxPooling2D; see BaseGlobalPoolingArgs. */
export type GlobalMaxPooling2DArgs = BaseGlobalPoolingArgs;

/**
 * GlobalMaxPooling2D: the maximum over the 2 spatial axes, [batch, ..., channels] -> [batch, channels].
 *
 * @example
 * ```ts
 * const layer = new GlobalMaxPooling2D({ keepdims: false });
 * ```
 */
export class GlobalMaxPooling2D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling2D';

  constructor(args: GlobalMaxPooling2DArgs = {}) {
    super(2, 'max', args);
  }
}
registerKerasClass('keras.layers', GlobalMaxPooling2D, ['GlobalMaxPool2D']);
