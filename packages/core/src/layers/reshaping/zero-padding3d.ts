import { registerKerasClass } from '../../saving/registry.js';
import { BaseZeroPadding, type BaseZeroPaddingArgs } from './base-zero-padding.js';

/** Arguments of ZeroPadding3D; see BaseZeroPaddingArgs. */
export type ZeroPadding3DArgs = BaseZeroPaddingArgs;

/**
 * ZeroPadding3D: adds zeros around the three spatial axes (default 1).
 *
 * @example
 * ```ts
 * const layer = new ZeroPadding3D({ padding: 1 });
 * ```
 */
export class ZeroPadding3D extends BaseZeroPadding {
  static override readonly className: string = 'ZeroPadding3D';

  constructor(args: ZeroPadding3DArgs = {}) {
    super(3, args);
  }
}
registerKerasClass('keras.layers', ZeroPadding3D);
