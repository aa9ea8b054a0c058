import { registerKerasClass } from '../../saving/registry.js';
import { BaseZeroPadding, type BaseZeroPaddingArgs } from './base-zero-padding.js';

/** Arguments of ZeroPadding2D; see BaseZeroPaddingArgs. */
export type ZeroPadding2DArgs = BaseZeroPaddingArgs;

/**
 * ZeroPadding2D: adds rows and columns of zeros: padding [[top, bottom], [left, right]] (default 1).
 *
 * @example
 * ```ts
 * const layer = new ZeroPadding2D({ padding: [[1, 1], [2, 2]] });
 * ```
 */
export class ZeroPadding2D extends BaseZeroPadding {
  static override readonly className: string = 'ZeroPadding2D';

  constructor(args: ZeroPadding2DArgs = {}) {
    super(2, args);
  }
}
registerKerasClass('keras.layers', ZeroPadding2D);
