import { type Config, registerKerasClass } from '../../saving/registry.js';
import { BaseSpatialDropout, type SpatialDropoutArgs } from './base-spatial-dropout.js';

/** Arguments of SpatialDropout2D; see SpatialDropoutArgs. */
export type SpatialDropout2DArgs = SpatialDropoutArgs;

/**
 * Dropout of whole 2D feature maps (rank-4 input, channels last or first): for input
 * `[batch, h, w, channels]` the mask has shape `[batch, 1, 1, channels]`
 * (`[batch, channels, 1, 1]` in channels_first).
 *
 * @example
 * ```ts
 * const layer = new SpatialDropout2D({ rate: 0.2, dataFormat: 'channels_first' });
 * ```
 */
export class SpatialDropout2D extends BaseSpatialDropout {
  static override readonly className: string = 'SpatialDropout2D';
  protected readonly rank = 4;
  override getConfig(): Config {
    return { ...super.getConfig(), data_format: this.dataFormat };
  }
}

registerKerasClass('keras.layers', SpatialDropout2D);
