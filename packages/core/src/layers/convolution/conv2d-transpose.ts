import { registerKerasClass } from '../../saving/registry.js';
import { BaseConvTranspose, type BaseConvTransposeArgs } from './base-conv-transpose.js';

/** Arguments of Conv2DTranspose; see BaseConvTransposeArgs. */
export type Conv2DTransposeArgs = BaseConvTransposeArgs;

/**
 * Conv2DTranspose: a 2D transposed convolution (up-sampling by the strides), kernel
 * [...kernelSize, filters, in].
 *
 * @example
 * ```ts
 * const layer = new Conv2DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' });
 * ```
 */
export class Conv2DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv2DTranspose';

  constructor(args: Conv2DTransposeArgs) {
    super(2, args);
  }
}
registerKerasClass('keras.layers', Conv2DTranspose);
