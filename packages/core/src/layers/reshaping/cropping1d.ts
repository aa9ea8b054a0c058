import { registerKerasClass } from '../../saving/registry.js';
import { BaseCropping, type BaseCroppingArgs } from './base-cropping.js';

/** Arguments of Cropping1D; see BaseCroppingArgs. */
export type Cropping1DArgs = BaseCroppingArgs;

/**
 * Cropping1D: removes cropping[0] steps at the start and cropping[1] at the end of axis 1 (default 1 each).
 *
 * @example
 * ```ts
 * const layer = new Cropping1D({ cropping: [1, 2] });
 * ```
 */
export class Cropping1D extends BaseCropping {
  static override readonly className: string = 'Cropping1D';

  constructor(args: Cropping1DArgs = {}) {
    super(1, 1, args);
  }
}
registerKerasClass('keras.layers', Cropping1D);
