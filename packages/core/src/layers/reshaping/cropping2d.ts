import { registerKerasClass } from '../../saving/registry.js';
import { BaseCropping, type BaseCroppingArgs } from './base-cropping.js';

/** Arguments of Cropping2D; see BaseCroppingArgs. */
export type Cropping2DArgs = BaseCroppingArgs;

/**
 * Cropping2D: crops rows and columns: cropping [[top, bottom], [left, right]] (default none).
 *
 * @example
 * ```ts
 * const layer = new Cropping2D({ cropping: [[1, 1], [2, 2]] });
 * ```
 */
export class Cropping2D extends BaseCropping {
  static override readonly className: string = 'Cropping2D';

  constructor(args: Cropping2DArgs = {}) {
    super(2, 0, args);
  }
}
registerKerasClass('keras.layers', Cropping2D);
