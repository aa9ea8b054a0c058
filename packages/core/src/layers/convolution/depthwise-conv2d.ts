import { registerKerasClass } from '../../saving/registry.js';
import { type BaseDepthwiseArgs, BaseDepthwiseConv } from './base-depthwise-conv.js';

/** Arguments of DepthwiseConv2D; see BaseDepthwiseArgs. */
export type DepthwiseConv2DArgs = BaseDepthwiseArgs;

/**
 * DepthwiseConv2D: each input channel convolved with its own depthMultiplier filters (2D); kernel
 * [...kernelSize, in, depthMultiplier], output channel c * depthMultiplier + m.
 *
 * @example
 * ```ts
 * const layer = new DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, padding: 'same' });
 * ```
 */
export class DepthwiseConv2D extends BaseDepthwiseConv {
  static override readonly className: string = 'DepthwiseConv2D';

  constructor(args: DepthwiseConv2DArgs) {
    super(2, args, false);
  }
}
registerKerasClass('keras.layers', DepthwiseConv2D);
