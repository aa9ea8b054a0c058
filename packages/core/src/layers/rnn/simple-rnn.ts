import { serializeOptional } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { RNN, type RNNBaseArgs, splitRNNArgs } from './rnn.js';
import { SimpleRNNCell, type SimpleRNNCellArgs } from './simple-rnn-cell.js';

/** Arguments of `SimpleRNN`: the cell's and the RNN layer's. */
export interface SimpleRNNArgs extends SimpleRNNCellArgs, RNNBaseArgs {}

/**
 * Fully connected RNN whose output is fed back as the next input state:
 * `h_t = tanh(x_t·W + h_{t-1}·U + b)`. Weights: `kernel`, `recurrent_kernel`, `bias` (Keras layout).
 *
 * @example
 * const rnn = new SimpleRNN({ units: 4, returnSequences: true });
 * const y = rnn.apply(tf.randomNormal([2, 5, 3])); // [2, 5, 4]
 */
export class SimpleRNN extends RNN {
  static override readonly className: string = 'SimpleRNN';
  declare readonly cell: SimpleRNNCell;

  constructor(args: SimpleRNNArgs) {
    const { rnnArgs, cellArgs } = splitRNNArgs(args);
    super({ ...rnnArgs, cell: new SimpleRNNCell({ ...cellArgs, name: 'simple_rnn_cell' }) });
  }

  override getConfig(): Config {
    const { cell: _cell, ...config } = super.getConfig();
    const { seed, ...cellConfig } = this.cell.cellConfig();
    // Keras's SimpleRNN.get_config always writes activity_regularizer and never the seed; a seed
    // set here is still written (Keras's SimpleRNN accepts it) so it is not lost.
    return {
      ...config,
      ...cellConfig,
      ...(seed === null ? {} : { seed }),
      activity_regularizer: serializeOptional(this.activityRegularizer),
    };
  }
}
registerKerasClass('keras.layers', SimpleRNN);
