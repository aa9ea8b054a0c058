import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { BaseRNNCell, type RecurrentCellArgs } from './base-rnn-cell.js';

/** Arguments of `GRUCell` (and of `GRU`). */
export interface GRUCellArgs extends RecurrentCellArgs {
  /** Activation of the update and reset gates. @default 'sigmoid' */
  recurrentActivation?: activations.ActivationIdentifier | null;
  /**
   * Apply the reset gate after the recurrent matMul (cuDNN/torch convention, separate input and
   * recurrent biases, bias shape `[2, 3·units]`); false applies it before (bias `[3·units]`).
   * @default true
   */
  resetAfter?: boolean;
}

/**
 * The Gated Recurrent Unit cell (Cho et al. 2014), Keras gate order z, r, h:
 * `z = σ(x W_z + h U_z)`, `r = σ(x W_r + h U_r)`, candidate `hh = tanh(x W_h + r ⊙ (h U_h))`
 * (reset_after) or `tanh(x W_h + (r ⊙ h) U_h)`, and `h' = z ⊙ h + (1 − z) ⊙ hh`.
 *
 * Weights (Keras layout): `kernel [input, 3·units]`, `recurrent_kernel [units, 3·units]`,
 * `bias [2, 3·units]` (row 0 input bias, row 1 recurrent bias) or `[3·units]`.
 *
 * @example
 * const layer = new RNN({ cell: new GRUCell({ units: 8 }) });
 */
export class GRUCell extends BaseRNNCell {
  static override readonly className: string = 'GRUCell';
  protected readonly gateCount = 3;
  readonly recurrentActivation: (x: tf.Tensor) => tf.Tensor;
  readonly resetAfter: boolean;

  constructor(args: GRUCellArgs) {
    const { recurrentActivation = 'sigmoid', resetAfter = true, ...cellArgs } = args;
    super(cellArgs);
    this.recurrentActivation = activations.get(recurrentActivation ?? 'linear');
    this.resetAfter = resetAfter;
  }

  get stateSize(): number[] {
    return [this.units];
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(): tf.Tensor | null {
    if (!this.bias) return null;
    const bias = this.bias.read();
    return this.resetAfter ? tf.squeeze(tf.slice(bias, [0, 0], [1, -1]), [0]) : bias;
  }

  step(prepared: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    const h = states[0] as tf.Tensor;
    const u = this.units;
    const recurrent = (this.recurrentKernel as LayerVariable).read();
    const hIn = this.recurrentInput(h);
    const [xz, xr, xh] = tf.split(prepared, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
    let candidate: tf.Tensor;
    let z: tf.Tensor;
    if (this.resetAfter) {
      let inner = tf.matMul(hIn, recurrent);
      if (this.bias)
        inner = tf.add(inner, tf.squeeze(tf.slice(this.bias.read(), [1, 0], [1, -1]), [0]));
      const [rz, rr, rh] = tf.split(inner, 3, 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      z = this.recurrentActivation(tf.add(xz, rz));
      const r = this.recurrentActivation(tf.add(xr, rr));
      candidate = this.activation(tf.add(xh, tf.mul(r, rh)));
    } else {
      const [uzr, uh] = tf.split(recurrent, [2 * u, u], 1) as [tf.Tensor, tf.Tensor];
      const [rz, rr] = tf.split(tf.matMul(hIn, uzr), 2, 1) as [tf.Tensor, tf.Tensor];
      z = this.recurrentActivation(tf.add(xz, rz));
      const r = this.recurrentActivation(tf.add(xr, rr));
      candidate = this.activation(tf.add(xh, tf.matMul(tf.mul(r, hIn), uh)));
    }
    const next = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
    return [next, [next]];
  }

  override cellConfig(): Config {
    const { units, activation, ...rest } = super.cellConfig();
    return {
      units: units ?? null,
      activation: activation ?? null,
      recurrent_activation: activations.serialize(this.recurrentActivation),
      ...rest,
      reset_after: this.resetAfter,
    };
  }
}
registerKerasClass('keras.layers', GRUCell);
