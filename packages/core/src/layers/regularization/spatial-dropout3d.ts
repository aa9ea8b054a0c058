import { type Config, registerKerasClass } from '../../saving/registry.js';
import { BaseSpatialDropout, type SpatialDropoutArgs } from './base-spatial-dropout.js';

/** Arguments of SpatialDropout3D; see SpatialDropoutArgs. */
export type SpatialDropout3DArgs = SpatialDropoutArgs;

/**
 * Dropout of whole 3D feature maps (rank-5 input, channels last or first): for input
 * `[batch, d, h, w, channels]` the mask has shape `[batch, 1, 1, 1, channels]`
 * (`[batch, channels, 1, 1, 1]` in channels_first).
 *
 * @example
 * ```ts
 * const layer = new SpatialDropout3D({ rate: 0.2, dataFormat: 'channels_first' });
 * ```
 */
export class SpatialDropout3D extends BaseSpatialDropout {
  static override readonly className: string = 'SpatialDropout3D';
  protected readonly rank = 5;
  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}

registerKerasClass('keras.layers', SpatialDropout3D);
