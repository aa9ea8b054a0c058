import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import * as initializers from '../../initializers/index.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { BaseRNNCell, type RecurrentCellArgs } from './base-rnn-cell.js';

/** Arguments of `LSTMCell` (and of `LSTM`). */
export interface LSTMCellArgs extends RecurrentCellArgs {
  /** Activation of the input, forget and output gates. @default 'sigmoid' */
  recurrentActivation?: activations.ActivationIdentifier | null;
  /** Initialise the forget-gate bias to ones (the other gates' bias with `biasInitializer`). @default true */
  unitForgetBias?: boolean;
}

/** Keras's unit_forget_bias initializer: `[init(u), ones(u), init(2u)]` for the i, f, c, o blocks. */
export class UnitForgetBias extends initializers.Initializer {
  static override readonly className: string = 'UnitForgetBias';
  constructor(
    private readonly base: initializers.Initializer,
    private readonly units: number,
  ) {
    super();
  }
  call(_shape: number[], dtype: tf.DataType = 'float32'): tf.Tensor {
    const u = this.units;
    return tf.tidy(() =>
      tf.concat([this.base.call([u], dtype), tf.ones([u], dtype), this.base.call([2 * u], dtype)]),
    );
  }
}

/**
 * The Long Short-Term Memory cell (Hochreiter 1997), Keras gate order i, f, c, o:
 * `z = x·W + h·U + b`, `c' = σ(z_f)·c + σ(z_i)·tanh(z_c)`, `h' = σ(z_o)·tanh(c')`.
 *
 * Weights (Keras layout): `kernel [input, 4·units]`, `recurrent_kernel [units, 4·units]`,
 * `bias [4·units]`; states `[h, c]`.
 *
 * @example
 * const layer = new RNN({ cell: new LSTMCell({ units: 8 }), returnSequences: true });
 */
export class LSTMCell extends BaseRNNCell {
  static override readonly className: string = 'LSTMCell';
  protected readonly gateCount = 4;
  readonly recurrentActivation: (x: tf.Tensor) => tf.Tensor;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMCellArgs) {
    const { recurrentActivation = 'sigmoid', unitForgetBias = true, ...cellArgs } = args;
    super(cellArgs);
    this.recurrentActivation = activations.get(recurrentActivation ?? 'linear');
    this.unitForgetBias = unitForgetBias;
  }

  get stateSize(): number[] {
    return [this.units, this.units];
  }

  protected override biasInitializerForBuild(): initializers.Initializer {
    return this.unitForgetBias
      ? new UnitForgetBias(this.biasInitializer, this.units)
      : this.biasInitializer;
  }

  step(prepared: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    const [h, c] = states as [tf.Tensor, tf.Tensor];
    const recurrent = (this.recurrentKernel as LayerVariable).read();
    const z = tf.add(prepared, tf.matMul(this.recurrentInput(h), recurrent));
    const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const cNext = tf.add(
      tf.mul(this.recurrentActivation(zf), c),
      tf.mul(this.recurrentActivation(zi), this.activation(zc)),
    );
    const hNext = tf.mul(this.recurrentActivation(zo), this.activation(cNext));
    return [hNext, [hNext, cNext]];
  }

  override cellConfig(): Config {
    const { units, activation, ...rest } = super.cellConfig();
    return {
      units: units ?? null,
      activation: activation ?? null,
      recurrent_activation: activations.serialize(this.recurrentActivation),
      ...rest,
      unit_forget_bias: this.unitForgetBias,
    };
  }
}
registerKerasClass('keras.layers', LSTMCell);
