import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { registerKerasClass } from '../../saving/registry.js';
import { BaseRNNCell, type RecurrentCellArgs } from './base-rnn-cell.js';

/** Arguments of `SimpleRNNCell`. */
export interface SimpleRNNCellArgs extends RecurrentCellArgs {}

/**
 * The cell of a fully connected RNN: `h' = activation(x·W + h·U + b)`.
 *
 * Weights (Keras layout): `kernel [input, units]`, `recurrent_kernel [units, units]`, `bias [units]`.
 *
 * @example
 * const layer = new RNN({ cell: new SimpleRNNCell({ units: 4 }) });
 */
export class SimpleRNNCell extends BaseRNNCell {
  static override readonly className: string = 'SimpleRNNCell';
  protected readonly gateCount = 1;

  get stateSize(): number[] {
    return [this.units];
  }

  step(prepared: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    const recurrent = (this.recurrentKernel as LayerVariable).read();
    const h = this.activation(
      tf.add(prepared, tf.matMul(this.recurrentInput(states[0] as tf.Tensor), recurrent)),
    );
    return [h, [h]];
  }
}
registerKerasClass('keras.layers', SimpleRNNCell);
