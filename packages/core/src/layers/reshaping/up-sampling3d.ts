import { registerKerasClass } from '../../saving/registry.js';
import { BaseUpSampling, type BaseUpSamplingArgs } from './base-up-sampling.js';

/** Arguments of UpSampling3D; see BaseUpSamplingArgs. */
export type UpSampling3DArgs = BaseUpSamplingArgs;

/**
 * UpSampling3D: repeats each voxel size times along each spatial axis (default 2).
 *
 * @example
 * ```ts
 * const layer = new UpSampling3D({ size: [2, 2, 1] });
 * ```
 */
export class UpSampling3D extends BaseUpSampling {
  static override readonly className: string = 'UpSampling3D';

  constructor(args: UpSampling3DArgs = {}) {
    super(3, args);
  }
}
registerKerasClass('keras.layers', UpSampling3D);
