import { registerKerasClass } from '../../saving/registry.js';
import { BaseConv, type BaseConvArgs } from './base-conv.js';

/** Arguments of Conv2D; see BaseConvArgs. */
export type Conv2DArgs = BaseConvArgs;

/**
 * Conv2D: a 2D convolution over images: input [batch, rows, cols, channels] (channels_last), kernel [...kernelSize, in / groups, filters].
 *
 * @example
 * ```ts
 * const layer = new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' });
 * ```
 */
export class Conv2D extends BaseConv {
  static override readonly className: string = 'Conv2D';

  constructor(args: Conv2DArgs) {
    super(2, args);
  }
}
registerKerasClass('keras.layers', Conv2D);
