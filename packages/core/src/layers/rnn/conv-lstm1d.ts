import { registerKerasClass } from '../../saving/registry.js';
import { ConvLSTM, type ConvLSTMArgs } from './conv-lstm.js';

/** Arguments of `ConvLSTM1D`; see ConvLSTMArgs. */
export type ConvLSTM1DArgs = ConvLSTMArgs;

/**
 * 1D convolutional LSTM over `[batch, time, ...1 spatial, channels]` sequences (Keras's
 * `ConvLSTM1D`, channels last). Output `[batch, ...outSpatial, filters]`, or with
 * `returnSequences` `[batch, time, ...outSpatial, filters]`.
 *
 * @example
 * ```ts
 * const layer = new ConvLSTM1D({ filters: 4, kernelSize: 3 });
 * const y = layer.apply(tf.randomNormal([2, 6, 10, 3])); // [2, 8, 4]
 * ```
 */
export class ConvLSTM1D extends ConvLSTM {
  static override readonly className: string = 'ConvLSTM1D';

  constructor(args: ConvLSTM1DArgs) {
    super(1, args);
  }
}
registerKerasClass('keras.layers', ConvLSTM1D);
