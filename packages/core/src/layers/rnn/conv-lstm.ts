import { InputSpec } from '../../engine/input-spec.js';
import { type Shape, serializeOptional } from '../../engine/layer.js';
import { formatShape } from '../../engine/naming.js';
import { ValueError } from '../../errors/errors.js';
import type { Config } from '../../saving/registry.js';
import { ConvLSTMCell, type ConvLSTMCellArgs } from './conv-lstm-cell.js';
import { RNN, type RNNBaseArgs, splitRNNArgs } from './rnn.js';

/** Arguments of ConvLSTM1D/2D/3D: the cell's and the RNN layer's. */
export interface ConvLSTMArgs extends ConvLSTMCellArgs, RNNBaseArgs {}

/**
 * Shared base of ConvLSTM1D/2D/3D: an RNN over `[batch, time, ...spatial, channels]` whose cell
 * convolves instead of multiplying (Keras's `ConvLSTM`). The input convolution of every step runs
 * as one batched convolution before the time loop.
 */
export abstract class ConvLSTM extends RNN {
  declare readonly cell: ConvLSTMCell;

  constructor(rank: number, args: ConvLSTMArgs) {
    const { rnnArgs, cellArgs } = splitRNNArgs(args);
    super({ ...rnnArgs, cell: new ConvLSTMCell(rank, { ...cellArgs, name: 'conv_lstm_cell' }) });
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const rank = this.cell.rank + 3;
    if (shape.length !== rank) {
      throw new ValueError(
        `${this.who}: expected input of rank ${rank} ([batch, time, ...${this.cell.rank} spatial, channels]), received shape ${formatShape(shape)}.`,
      );
    }
    super.build(inputShape);
  }

  protected override sequenceSpec(shape: Shape): InputSpec {
    return new InputSpec({ ndim: this.cell.rank + 3, axes: { [-1]: shape.at(-1) as number } });
  }

  protected override stateShape(batch: number | null, _index: number, inputShape: Shape): Shape {
    return this.stepOutputShape(batch, inputShape);
  }

  protected override stepOutputShape(batch: number | null, inputShape: Shape): Shape {
    return [batch, ...this.cell.outputSpatial(inputShape.slice(2, -1)), this.cell.filters];
  }

  override getConfig(): Config {
    const { cell: _cell, ...config } = super.getConfig();
    // Keras's ConvLSTM.get_config always writes activity_regularizer (null when unset).
    return {
      ...config,
      ...this.cell.cellConfig(),
      activity_regularizer: serializeOptional(this.activityRegularizer),
    };
  }
}
