import type { Shape } from '../../engine/input-spec.js';
import { InputSpec } from '../../engine/input-spec.js';
import type { LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import type { Config } from '../../saving/registry.js';
import { Dropout } from './dropout.js';

/** Arguments of the SpatialDropout layers. */
export interface SpatialDropoutArgs extends LayerArgs {
  /** Fraction of the feature maps to drop, in [0, 1). */
  rate: number;
  /** Seed of the mask draws. @default null */
  seed?: number | null;
  /** Where the channels are (2D/3D only). @default 'channels_last' */
  dataFormat?: 'channels_last' | 'channels_first';
}

/**
 * Shared base of SpatialDropout1D/2D/3D: drops whole feature maps (the mask is constant over the
 * spatial axes, one draw per sample and channel).
 */
export abstract class BaseSpatialDropout extends Dropout {
  readonly dataFormat: 'channels_last' | 'channels_first';
  protected abstract readonly rank: number;

  constructor(args: SpatialDropoutArgs) {
    const { dataFormat = 'channels_last', ...rest } = args;
    super(rest);
    if (dataFormat !== 'channels_last' && dataFormat !== 'channels_first') {
      throw new ValueError(
        `${this.who}: data_format must be 'channels_last' or 'channels_first'. Received: data_format=${String(dataFormat)}.`,
      );
    }
    this.dataFormat = dataFormat;
  }

  override build(inputShape: Shape): void {
    this.inputSpec = new InputSpec({ ndim: this.rank });
    if (inputShape.length !== this.rank) {
      throw new ValueError(
        `${this.who}: expected input of rank ${this.rank}, received shape [${inputShape.join(', ')}].`,
      );
    }
  }

  protected override maskShape(shape: number[]): number[] {
    const out = shape.map(() => 1);
    out[0] = shape[0] as number;
    const channel = this.dataFormat === 'channels_first' ? 1 : shape.length - 1;
    out[channel] = shape[channel] as number;
    return out;
  }

  /** Keras's SpatialDropout config: `{ rate, seed, name, dtype }`, dtype as a plain name. */
  override getConfig(): Config {
    return { rate: this.rate, seed: this.seed, name: this.name, dtype: this.dtype };
  }
}
