import { registerKerasClass } from '../../saving/registry.js';
import { BaseDepthwiseConv, type BaseSeparableArgs } from './base-depthwise-conv.js';

/** Arguments of SeparableConv2D; see BaseSeparableArgs. */
export type SeparableConv2DArgs = BaseSeparableArgs;

/**
 * SeparableConv2D: a depthwise 2D convolution followed by a pointwise (1x1) convolution to filters
 * channels. Weights: depthwise_kernel, pointwise_kernel, bias.
 *
 * @example
 * ```ts
 * const layer = new SeparableConv2D({ filters: 16, kernelSize: 3, depthMultiplier: 1 });
 * ```
 */
export class SeparableConv2D extends BaseDepthwiseConv {
  static override readonly className: string = 'SeparableConv2D';

  constructor(args: SeparableConv2DArgs) {
    super(2, args, true);
  }
}
registerKerasClass('keras.layers', SeparableConv2D);
