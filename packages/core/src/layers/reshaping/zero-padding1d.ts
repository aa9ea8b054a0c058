import { registerKerasClass } from '../../saving/registry.js';
import { BaseZeroPadding, type BaseZeroPaddingArgs } from './base-zero-padding.js';

/** Arguments of ZeroPadding1D; see BaseZeroPaddingArgs. */
export type ZeroPadding1DArgs = BaseZeroPaddingArgs;

/**
 * ZeroPadding1D: adds zeros at the start and end of axis 1 (default 1 each).
 *
 * @example
 * ```ts
 * const layer = new ZeroPadding1D({ padding: [1, 2] });
 * ```
 */
export class ZeroPadding1D extends BaseZeroPadding {
  static override readonly className: string = 'ZeroPadding1D';

  constructor(args: ZeroPadding1DArgs = {}) {
    super(1, args);
  }
}
registerKerasClass('keras.layers', ZeroPadding1D);
