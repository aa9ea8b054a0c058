import { registerKerasClass } from '../../saving/registry.js';
import { BaseConv, type BaseConvArgs } from './base-conv.js';

/** Arguments of Conv3D; see BaseConvArgs. */
export type Conv3DArgs = BaseConvArgs;

/**
 * Conv3D: a 3D convolution over volumes: input [batch, depth, rows, cols, channels] (channels_last), kernel [...kernelSize, in / groups, filters].
 *
 * @example
 * ```ts
 * const layer = new Conv3D({ filters: 4, kernelSize: [3, 3, 3] });
 * ```
 */
export class Conv3D extends BaseConv {
  static override readonly className: string = 'Conv3D';

  constructor(args: Conv3DArgs) {
    super(3, args);
  }
}
registerKerasClass('keras.layers', Conv3D);
