import { registerKerasClass } from '../../saving/registry.js';
import { ConvLSTM, type ConvLSTMArgs } from './conv-lstm.js';

/** Arguments of `ConvLSTM3D`; see ConvLSTMArgs. */
export type ConvLSTM3DArgs = ConvLSTMArgs;

/**
 * 3D convolutional LSTM over `[batch, time, ...3 spatial, channels]` sequences (Keras's
 * `ConvLSTM3D`, channels last). Output `[batch, ...outSpatial, filters]`, or with
 * `returnSequences` `[batch, time, ...outSpatial, filters]`.
 *
 * @example
 * ```ts
 * const layer = new ConvLSTM3D({ filters: 4, kernelSize: 3 });
 * const y = layer.apply(tf.randomNormal([2, 4, 5, 5, 5, 1])); // [2, 3, 3, 3, 4]
 * ```
 */
export class ConvLSTM3D extends ConvLSTM {
  static override readonly className: string = 'ConvLSTM3D';

  constructor(args: ConvLSTM3DArgs) {
    super(3, args);
  }
}
registerKerasClass('keras.layers', ConvLSTM3D);
