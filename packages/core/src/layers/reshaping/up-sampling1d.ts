import { registerKerasClass } from '../../saving/registry.js';
import { BaseUpSampling, type BaseUpSamplingArgs } from './base-up-sampling.js';

/** Arguments of UpSampling1D; see BaseUpSamplingArgs. */
export type UpSampling1DArgs = BaseUpSamplingArgs;

/**
 * UpSampling1D: repeats each step size times (default 2).
 *
 * @example
 * ```ts
 * const layer = new UpSampling1D({ size: 3 });
 * ```
 */
export class UpSampling1D extends BaseUpSampling {
  static override readonly className: string = 'UpSampling1D';

  constructor(args: UpSampling1DArgs = {}) {
    super(1, args);
  }
}
registerKerasClass('keras.layers', UpSampling1D);
