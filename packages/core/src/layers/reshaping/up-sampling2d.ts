import { type Config, registerKerasClass } from '../../saving/registry.js';
import {
  BaseUpSampling,
  type BaseUpSamplingArgs,
  type UpSamplingInterpolation,
} from './base-up-sampling.js';

/** Arguments of UpSampling2D. */
export interface UpSampling2DArgs extends BaseUpSamplingArgs {
  /** 'nearest' repeats pixels; 'bilinear' resizes with half-pixel centres (tf.image.resize). @default 'nearest' */
  interpolation?: UpSamplingInterpolation;
}

/**
 * UpSampling2D: scales rows and columns by size (default [2, 2]).
 *
 * @example
 * ```ts
 * const layer = new UpSampling2D({ size: 2, interpolation: 'bilinear' });
 * ```
 */
export class UpSampling2D extends BaseUpSampling {
  static override readonly className: string = 'UpSampling2D';

  constructor(args: UpSampling2DArgs = {}) {
    const { interpolation = 'nearest', ...rest } = args;
    super(2, rest, interpolation);
  }

  /** 'nearest' or 'bilinear'. */
  get interpolation(): UpSamplingInterpolation {
    return this.method;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), interpolation: this.method };
  }
}
registerKerasClass('keras.layers', UpSampling2D);
