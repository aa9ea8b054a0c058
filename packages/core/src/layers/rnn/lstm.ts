import { serializeOptional } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { RNN, type RNNBaseArgs, splitRNNArgs } from './rnn.js';
import { LSTMCell, type LSTMCellArgs } from './lstm-cell.js';

/** Arguments of `LSTM`: the cell's and the RNN layer's. */
export interface LSTMArgs extends LSTMCellArgs, RNNBaseArgs {}

/**
 * Long Short-Term Memory layer (Hochreiter 1997) on `LSTMCell`: gate order i, f, c, o; weights
 * `kernel [input, 4·units]`, `recurrent_kernel [units, 4·units]`, `bias [4·units]` (Keras layout,
 * so Keras weight files load as they are). States `[h, c]`.
 *
 * @example
 * const lstm = new LSTM({ units: 8, returnSequences: true, returnState: true });
 * const [seq, h, c] = lstm.apply(tf.randomNormal([2, 5, 3])) as tf.Tensor[];
 */
export class LSTM extends RNN {
  static override readonly className: string = 'LSTM';
  declare readonly cell: LSTMCell;

  constructor(args: LSTMArgs) {
    const { rnnArgs, cellArgs } = splitRNNArgs(args);
    super({ ...rnnArgs, cell: new LSTMCell({ ...cellArgs, name: 'lstm_cell' }) });
  }

  override getConfig(): Config {
    const { cell: _cell, ...config } = super.getConfig();
    // Keras's LSTM.get_config always writes activity_regularizer (null when unset).
    return {
      ...config,
      ...this.cell.cellConfig(),
      activity_regularizer: serializeOptional(this.activityRegularizer),
    };
  }
}
registerKerasClass('keras.layers', LSTM);
