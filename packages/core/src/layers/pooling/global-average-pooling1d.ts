import { registerKerasClass } from '../../saving/registry.js';
import { type BaseGlobalPoolingArgs, BaseGlobalPooling } from './base-global-pooling.js';

/** Arguments of GlobalAveragePooling1D; see BaseGlobalPoolingArgs. */
export type GlobalAveragePooling1DArgs = BaseGlobalPoolingArgs;

/**
 * GlobalAveragePooling1D: the mean over the 1 spatial axes, [batch, ..., channels] -> [batch, channels].
 *
 * @example
 * ```ts
 * const layer = new GlobalAveragePooling1D({ keepdims: false });
 * ```
 */
export class GlobalAveragePooling1D extends BaseGlobalPooling {
  static override readonly className: string = 'GlobalAveragePooling1D';

  constructor(args: GlobalAveragePooling1DArgs = {}) {
    super(1, 'average', args);
  }
}
registerKerasClass('keras.layers', GlobalAveragePooling1D, ['GlobalAvgPool1D']);
