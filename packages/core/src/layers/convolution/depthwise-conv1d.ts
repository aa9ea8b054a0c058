import { registerKerasClass } from '../../saving/registry.js';
import { type BaseDepthwiseArgs, BaseDepthwiseConv } from './base-depthwise-conv.js';

/** Arguments of DepthwiseConv1D; see BaseDepthwiseArgs. */
export type DepthwiseConv1DArgs = BaseDepthwiseArgs;

/**
 * DepthwiseConv1D: each input channel convolved with its own depthMultiplier filters (1D); kernel
 * [...kernelSize, in, depthMultiplier], output channel c * depthMultiplier + m.
 *
 * @example
 * ```ts
 * const layer = new DepthwiseConv1D({ kernelSize: 3, depthMultiplier: 2, padding: 'same' });
 * ```
 */
export class DepthwiseConv1D extends BaseDepthwiseConv {
  static override readonly className: string = 'DepthwiseConv1D';

  constructor(args: DepthwiseConv1DArgs) {
    super(1, args, false);
  }
}
registerKerasClass('keras.layers', DepthwiseConv1D);
