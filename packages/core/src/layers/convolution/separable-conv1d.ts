import { registerKerasClass } from '../../saving/registry.js';
import { BaseDepthwiseConv, type BaseSeparableArgs } from './base-depthwise-conv.js';

/** Arguments of SeparableConv1D; see BaseSeparableArgs. */
export type SeparableConv1DArgs = BaseSeparableArgs;

/**
 * SeparableConv1D: a depthwise 1D convolution followed by a pointwise (1x1) convolution to filters
 * channels. Weights: depthwise_kernel, pointwise_kernel, bias.
 *
 * @example
 * ```ts
 * const layer = new SeparableConv1D({ filters: 16, kernelSize: 3, depthMultiplier: 1 });
 * ```
 */
export class SeparableConv1D extends BaseDepthwiseConv {
  static override readonly className: string = 'SeparableConv1D';

  constructor(args: SeparableConv1DArgs) {
    super(1, args, true);
  }
}
registerKerasClass('keras.layers', SeparableConv1D);
