import { serializeOptional } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { RNN, type RNNBaseArgs, splitRNNArgs } from './rnn.js';
import { GRUCell, type GRUCellArgs } from './gru-cell.js';

/** Arguments of `GRU`: the cell's and the RNN layer's. */
export interface GRUArgs extends GRUCellArgs, RNNBaseArgs {}

/**
 * Gated Recurrent Unit layer (Cho et al. 2014) on `GRUCell`: gate order z, r, h. The Keras 3
 * default `resetAfter: true` is the cuDNN/torch form with bias `[2, 3·units]` (input and recurrent
 * rows); `resetAfter: false` applies the reset gate before the recurrent matMul, bias `[3·units]`.
 *
 * @example
 * const gru = new GRU({ units: 8 });
 * const y = gru.apply(tf.randomNormal([2, 5, 3])); // [2, 8]
 */
export class GRU extends RNN {
  static override readonly className: string = 'GRU';
  declare readonly cell: GRUCell;

  constructor(args: GRUArgs) {
    const { rnnArgs, cellArgs } = splitRNNArgs(args);
    super({ ...rnnArgs, cell: new GRUCell({ ...cellArgs, name: 'gru_cell' }) });
  }

  override getConfig(): Config {
    const { cell: _cell, ...config } = super.getConfig();
    // Keras's GRU.get_config always writes activity_regularizer (null when unset).
    return {
      ...config,
      ...this.cell.cellConfig(),
      activity_regularizer: serializeOptional(this.activityRegularizer),
    };
  }
}
registerKerasClass('keras.layers', GRU);
