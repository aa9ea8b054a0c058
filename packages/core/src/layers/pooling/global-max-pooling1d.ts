import { registerKerasClass } from '../../saving/registry.js';
import { type BaseGlobalPoolingArgs, BaseGlobalPooling } from './base-global-pooling.js';

/** Arguments of GlobalMaxPooling1D; see BaseGlobalPoolingArgs. */
export type GlobalMaxPooling1DArgs = BaseGlobalPoolingArgs;

/**
 * GlobalMaxPooling1D: the maximum over the 1 spatial axes, [batch, ..., channels] -> [batch, channels].
 *
 * @example
 * ```ts
 * const layer = new GlobalMaxPooling1D({ keepdims: false });
 * ```
 */
export class GlobalMaxPooling1D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalMaxPooling1D';

  constructor(args: GlobalMaxPooling1DArgs = {}) {
    super(1, 'max', args);
  }
}
registerKerasClass('keras.layers', GlobalMaxPooling1D, ['GlobalMaxPool1D']);
