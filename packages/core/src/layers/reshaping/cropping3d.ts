import { registerKerasClass } from '../../saving/registry.js';
import { BaseCropping, type BaseCroppingArgs } from './base-cropping.js';

/** Arguments of Cropping3D; see BaseCroppingArgs. */
export type Cropping3DArgs = BaseCroppingArgs;

/**
 * Cropping3D: crops the three spatial axes (default 1 on every side).
 *
 * @example
 * ```ts
 * const layer = new Cropping3D({ cropping: 1 });
 * ```
 */
export class Cropping3D extends BaseCropping {
  static override readonly className: string = 'Cropping3D';

  constructor(args: Cropping3DArgs = {}) {
    super(3, 1, args);
  }
}
registerKerasClass('keras.layers', Cropping3D);
