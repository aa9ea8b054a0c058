import { registerKerasClass } from '../../saving/registry.js';
import { BaseConvTranspose, type BaseConvTransposeArgs } from './base-conv-transpose.js';

/** Arguments of Conv1DTranspose; see BaseConvTransposeArgs. */
export type Conv1DTransposeArgs = BaseConvTransposeArgs;

/**
 * Conv1DTranspose: a 1D transposed convolution (up-sampling by the strides), kernel
 * [...kernelSize, filters, in].
 *
 * @example
 * ```ts
 * const layer = new Conv1DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' });
 * ```
 */
export class Conv1DTranspose extends BaseConvTranspose {
  static override readonly className: string = 'Conv1DTranspose';

  constructor(args: Conv1DTransposeArgs) {
    super(1, args);
  }
}
registerKerasClass('keras.layers', Conv1DTranspose);
