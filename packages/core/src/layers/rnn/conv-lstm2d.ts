import { registerKerasClass } from '../../saving/registry.js';
import { ConvLSTM, type ConvLSTMArgs } from './conv-lstm.js';

/** Arguments of `ConvLSTM2D`; see ConvLSTMArgs. */
export type ConvLSTM2DArgs = ConvLSTMArgs;

/**
 * 2D convolutional LSTM over `[batch, time, ...2 spatial, channels]` sequences (Keras's
 * `ConvLSTM2D`, channels last). Output `[batch, ...outSpatial, filters]`, or with
 * `returnSequences` `[batch, time, ...outSpatial, filters]`.
 *
 * @example
 * ```ts
 * const layer = new ConvLSTM2D({ filters: 4, kernelSize: 3 });
 * const y = layer.apply(tf.randomNormal([2, 6, 8, 8, 3])); // [2, 6, 6, 4]
 * ```
 */
export class ConvLSTM2D extends ConvLSTM {
  static override readonly className: string = 'ConvLSTM2D';

  constructor(args: ConvLSTM2DArgs) {
    super(2, args);
  }
}
registerKerasClass('keras.layers', ConvLSTM2D);
