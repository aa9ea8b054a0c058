import { registerKerasClass } from '../../saving/registry.js';
import { BaseSpatialDropout, type SpatialDropoutArgs } from './base-spatial-dropout.js';

/** Arguments of SpatialDropout1D (`dataFormat` is always channels_last); see SpatialDropoutArgs. */
export type SpatialDropout1DArgs = SpatialDropoutArgs;

/**
 * Dropout of whole 1D feature maps: input `[batch, steps, channels]`, mask `[batch, 1, channels]`.
 *
 * @example
 * ```ts
 * const layer = new SpatialDropout1D({ rate: 0.2 });
 * ```
 */
export class SpatialDropout1D extends BaseSpatialDropout {
  static override readonly className: string = 'SpatialDropout1D';
  protected readonly rank = 3;
  constructor(args: SpatialDropout1DArgs) {
    super({ ...args, dataFormat: 'channels_last' });
  }
}

registerKerasClass('keras.layers', SpatialDropout1D);
