import { registerKerasClass } from '../../saving/registry.js';
import { BaseConv, type BaseConvArgs } from './base-conv.js';

/** Arguments of Conv1D; see BaseConvArgs. */
export type Conv1DArgs = BaseConvArgs;

/**
 * Conv1D: a 1D convolution over steps: input [batch, steps, channels] (channels_last), kernel [...kernelSize, in / groups, filters].
 *
 * @example
 * ```ts
 * const layer = new Conv1D({ filters: 8, kernelSize: 3, padding: 'causal' });
 * ```
 */
export class Conv1D extends BaseConv {
  static override readonly className: string = 'Conv1D';

  constructor(args: Conv1DArgs) {
    super(1, args);
  }
}
registerKerasClass('keras.layers', Conv1D);
