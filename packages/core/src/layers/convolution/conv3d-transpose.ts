import { registerKerasClass } from '../../saving/registry.js';
import { BaseConvTranspose, type BaseConvTransposeArgs } from './base-conv-transpose.js';

/** Arguments of Conv3DTranspose; see BaseConvTransposeArgs. */
export type Conv3DTransposeArgs = BaseConvTransposeArgs;

/**
 * Conv3DTranspose: a 3D transposed convolution (up-sampling by the strides), kernel
 * [...kernelSize, filters, in].
 *
 * @example
 * ```ts
 * const layer = new Conv3DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' });
 * ```
 */
export class Conv3DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv3DTranspose';

  constructor(args: Conv3DTransposeArgs) {
    super(3, args);
  }
}
registerKerasClass('keras.layers', Conv3DTranspose);
