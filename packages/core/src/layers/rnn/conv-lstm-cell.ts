import * as tf from '@tensorflow/tfjs-core';
import { nextSeed } from '../../utils/random.js';
import * as activations from '../../activations/index.js';
import { InputSpec } from '../../engine/input-spec.js';
import type { Shape } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { formatShape } from '../../engine/naming.js';
import { NotImplementedError, ValueError } from '../../errors/errors.js';
import type { Config, ConfigValue } from '../../saving/registry.js';
import {
  type ConvPadding,
  convOutputLength,
  convolve,
  normalizeDataFormat,
  normalizePadding,
  normalizeTuple,
} from '../convolution/conv-utils.js';
import { BaseRNNCell, type RecurrentCellArgs } from './base-rnn-cell.js';
import { UnitForgetBias } from './lstm-cell.js';

/** Arguments of the ConvLSTM cells and layers (Keras's `ConvLSTMCell`). */
export interface ConvLSTMCellArgs extends Omit<RecurrentCellArgs, 'units'> {
  /** Number of output channels (filters) of the input and recurrent convolutions. */
  filters: number;
  /** Size of the convolution window (one int for every spatial axis, or one per axis). */
  kernelSize: number | number[];
  /** Strides of the input convolution (the recurrent one always has stride 1). @default 1 */
  strides?: number | number[];
  /** Padding of the input convolution, 'valid' or 'same' (the recurrent one is always 'same'). @default 'valid' */
  padding?: 'valid' | 'same';
  /** Only 'channels_last' (`[batch, time, ...spatial, channels]`) runs on TensorFlow.js here. @default 'channels_last' */
  dataFormat?: 'channels_last' | 'channels_first';
  /** Dilation of the input convolution. @default 1 */
  dilationRate?: number | number[];
  /** Activation of the input, forget and output gates. @default 'sigmoid' */
  recurrentActivation?: activations.ActivationIdentifier | null;
  /** Initialise the forget-gate bias to ones. @default true */
  unitForgetBias?: boolean;
}

/**
 * One step of a convolutional LSTM (Shi et al. 2015), Keras gate order i, f, c, o:
 * `z = conv(x, W) + conv(h, U) + b`, `c' = σ(z_f)·c + σ(z_i)·tanh(z_c)`, `h' = σ(z_o)·tanh(c')`,
 * on channels-last feature maps. Weights (Keras layout): `kernel [...kernelSize, in, 4·filters]`,
 * `recurrent_kernel [...kernelSize, filters, 4·filters]`, `bias [4·filters]`; states `[h, c]`
 * of shape `[batch, ...outputSpatial, filters]`.
 */
export class ConvLSTMCell extends BaseRNNCell {
  static override readonly className: string = 'ConvLSTMCell';
  protected readonly gateCount = 4;
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: ConvPadding;
  readonly dataFormat: 'channels_last';
  readonly dilationRate: number[];
  readonly recurrentActivation: (x: tf.Tensor) => tf.Tensor;
  readonly unitForgetBias: boolean;
  /** Spatial size of the step input and of the state, set by `build`. */
  private inputSpatial: (number | null)[] = [];
  private dropoutCalls = 0;

  constructor(rank: number, args: ConvLSTMCellArgs) {
    const {
      filters,
      kernelSize,
      strides = 1,
      padding = 'valid',
      dataFormat = 'channels_last',
      dilationRate = 1,
      recurrentActivation = 'sigmoid',
      unitForgetBias = true,
      ...cellArgs
    } = args;
    super({ ...cellArgs, units: filters });
    this.rank = rank;
    this.filters = filters;
    this.kernelSize = normalizeTuple(kernelSize, rank, 'kernelSize', this.who);
    this.strides = normalizeTuple(strides, rank, 'strides', this.who);
    this.dilationRate = normalizeTuple(dilationRate, rank, 'dilationRate', this.who);
    this.padding = normalizePadding(padding, this.who, false);
    if (normalizeDataFormat(dataFormat, this.who) !== 'channels_last') {
      throw new NotImplementedError(
        `${this.who}: dataFormat 'channels_first' is not supported; expected 'channels_last'. Fix: transpose the input to [batch, time, ...spatial, channels].`,
      );
    }
    this.dataFormat = 'channels_last';
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new ValueError(
        `${this.who}: strides > 1 and dilationRate > 1 cannot be combined. Received strides=${JSON.stringify(strides)}, dilationRate=${JSON.stringify(dilationRate)}.`,
      );
    }
    this.recurrentActivation = activations.get(recurrentActivation ?? 'linear');
    this.unitForgetBias = unitForgetBias;
  }

  get stateSize(): number[] {
    return [this.filters, this.filters];
  }

  /** Spatial output size for a step input's spatial size. */
  outputSpatial(spatial: (number | null)[]): (number | null)[] {
    return spatial.map((d, i) =>
      convOutputLength(
        d,
        this.kernelSize[i] as number,
        this.padding,
        this.strides[i] as number,
        this.dilationRate[i] as number,
      ),
    );
  }

  /** Builds from a step input shape `[batch, ...spatial, channels]`. */
  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const channels = shape.at(-1);
    if (shape.length !== this.rank + 2 || typeof channels !== 'number') {
      throw new ValueError(
        `${this.who}: expected a step input of rank ${this.rank + 2} ([batch, ...${this.rank} spatial, channels]) with known channels, received shape ${formatShape(shape)}.`,
      );
    }
    this.inputSpatial = shape.slice(1, -1);
    const width = 4 * this.filters;
    const opt = <T>(key: string, value: T | undefined) => (value ? { [key]: value } : {});
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, channels, width],
      initializer: this.kernelInitializer,
      ...opt('regularizer', this.kernelRegularizer),
      ...opt('constraint', this.kernelConstraint),
    });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [...this.kernelSize, this.filters, width],
      initializer: this.recurrentInitializer,
      ...opt('regularizer', this.recurrentRegularizer),
      ...opt('constraint', this.recurrentConstraint),
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [width],
        initializer: this.unitForgetBias
          ? new UnitForgetBias(this.biasInitializer, this.filters)
          : this.biasInitializer,
        ...opt('regularizer', this.biasRegularizer),
        ...opt('constraint', this.biasConstraint),
      });
    }
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, axes: { [-1]: channels } });
    this.built = true;
  }

  private dropoutSeed(): number | undefined {
    // Without a seed, Cornu's global stream (reproducible under utils.setRandomSeed).
    if (this.seed === null) return nextSeed();
    this.dropoutCalls += 1;
    return this.seed + this.dropoutCalls;
  }

  /** Per-sequence dropout masks shaped like one step's input and like the state. */
  override beginSequence(
    batch: number,
    features: number,
    training = false,
    stepShape?: number[],
  ): void {
    // A cell called on its own gets its step shape from the build.
    const step = stepShape ?? [...(this.inputSpatial as number[]), features];
    if (training && this.dropout > 0 && this.dropout < 1) {
      this.inputDropoutMask = tf.dropout(
        tf.ones([batch, ...step]),
        this.dropout,
        undefined,
        this.dropoutSeed(),
      );
    }
    if (training && this.recurrentDropout > 0 && this.recurrentDropout < 1) {
      const spatial = this.outputSpatial(step.slice(0, -1)) as number[];
      this.recurrentDropoutMask = tf.dropout(
        tf.ones([batch, ...spatial, this.filters]),
        this.recurrentDropout,
        undefined,
        this.dropoutSeed(),
      );
    }
  }

  private inputConv(x: tf.Tensor): tf.Tensor {
    const input = this.inputDropoutMask ? tf.mul(x, this.inputDropoutMask) : x;
    const z = convolve(input, (this.kernel as LayerVariable).read(), {
      strides: this.strides,
      padding: this.padding,
      dilations: this.dilationRate,
    });
    return this.bias ? tf.add(z, this.bias.read()) : z;
  }

  /** Input convolution of one step `[batch, ...spatial, channels]` or a whole sequence `[batch, time, ...]`. */
  override projectInputs(x: tf.Tensor): tf.Tensor {
    if (x.rank === this.rank + 2) return this.inputConv(x);
    const [batch, time] = x.shape as [number, number];
    const flat = tf.reshape(x, [batch * time, ...x.shape.slice(2)]);
    const z = this.inputConv(flat);
    return tf.reshape(z, [batch, time, ...z.shape.slice(1)]);
  }

  override prepareSequence(sequences: tf.Tensor, training = false): tf.Tensor {
    const [batch] = sequences.shape as [number];
    this.beginSequence(batch, sequences.shape.at(-1) as number, training, sequences.shape.slice(2));
    if (!this.inputDropoutMask) return this.projectInputs(sequences);
    // The same input mask at every step: project step by step.
    const steps = tf.unstack(sequences, 1).map((s) => this.inputConv(s));
    return tf.stack(steps, 1);
  }

  step(prepared: tf.Tensor, states: tf.Tensor[]): [tf.Tensor, tf.Tensor[]] {
    const [h, c] = states as [tf.Tensor, tf.Tensor];
    const ones = new Array<number>(this.rank).fill(1);
    const recurrent = convolve(
      this.recurrentInput(h),
      (this.recurrentKernel as LayerVariable).read(),
      {
        strides: ones,
        padding: 'same',
        dilations: ones,
      },
    );
    const z = tf.add(prepared, recurrent);
    const [zi, zf, zc, zo] = tf.split(z, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const cNext = tf.add(
      tf.mul(this.recurrentActivation(zf), c),
      tf.mul(this.recurrentActivation(zi), this.activation(zc)),
    );
    const hNext = tf.mul(this.recurrentActivation(zo), this.activation(cNext));
    return [hNext, [hNext, cNext]];
  }

  /** Zero states `[batch, ...outputSpatial, filters]` (`stepShape` = one step's input shape without the batch). */
  override getInitialState(batchSize: number, stepShape?: number[]): tf.Tensor[] {
    const spatial = stepShape ? stepShape.slice(0, -1) : (this.inputSpatial as number[]);
    const out = this.outputSpatial(spatial) as number[];
    return [
      tf.zeros([batchSize, ...out, this.filters]),
      tf.zeros([batchSize, ...out, this.filters]),
    ];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const state: Shape = [
      shape[0] ?? null,
      ...this.outputSpatial(shape.slice(1, -1)),
      this.filters,
    ];
    return [state, state, state];
  }

  override cellConfig(): Config {
    const base = super.cellConfig();
    const ser = (value: unknown): ConfigValue => (value ?? null) as ConfigValue;
    return {
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: this.dilationRate,
      activation: ser(base.activation),
      recurrent_activation: activations.serialize(this.recurrentActivation),
      use_bias: this.useBias,
      kernel_initializer: ser(base.kernel_initializer),
      recurrent_initializer: ser(base.recurrent_initializer),
      bias_initializer: ser(base.bias_initializer),
      unit_forget_bias: this.unitForgetBias,
      kernel_regularizer: ser(base.kernel_regularizer),
      recurrent_regularizer: ser(base.recurrent_regularizer),
      bias_regularizer: ser(base.bias_regularizer),
      kernel_constraint: ser(base.kernel_constraint),
      recurrent_constraint: ser(base.recurrent_constraint),
      bias_constraint: ser(base.bias_constraint),
      dropout: this.dropout,
      recurrent_dropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}
