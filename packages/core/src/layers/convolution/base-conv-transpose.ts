import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import * as constraints from '../../constraints/index.js';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type Shape, serializeOptional } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { ValueError } from '../../errors/errors.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import type { Config } from '../../saving/registry.js';
import { type BaseConvArgs, optional } from './base-conv.js';
import {
  convolveTranspose,
  type DataFormat,
  deconvOutputLength,
  normalizeDataFormat,
  normalizePadding,
  normalizeTuple,
  toChannelsFirst,
  toChannelsLast,
} from './conv-utils.js';
import { formatShape } from '../../engine/naming.js';

/** Arguments shared by Conv1DTranspose, Conv2DTranspose and Conv3DTranspose. */
export interface BaseConvTransposeArgs extends Omit<BaseConvArgs, 'groups' | 'padding'> {
  /** `'valid'` or `'same'` (output size input * stride). @default 'valid' */
  padding?: 'valid' | 'same';
  /**
   * Extra output size per spatial axis (each < its stride); null lets Keras's rule pick the size.
   * @default null
   */
  outputPadding?: number | number[] | null;
}

/**
 * The transposed convolution behind Conv1DTranspose/2DTranspose/3DTranspose (the gradient of a
 * convolution with respect to its input): kernel `[...kernelSize, filters, in]`, bias `[filters]`.
 */
export abstract class BaseConvTranspose extends Layer {
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly outputPadding: number[] | null;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: activations.ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly kernelConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  kernel?: LayerVariable;
  bias?: LayerVariable;

  constructor(rank: number, args: BaseConvTransposeArgs) {
    const {
      filters,
      kernelSize,
      strides = 1,
      padding = 'valid',
      outputPadding = null,
      dataFormat = 'channels_last',
      dilationRate = 1,
      activation = null,
      useBias = true,
      kernelInitializer = 'glorot_uniform',
      biasInitializer = 'zeros',
      kernelRegularizer = null,
      biasRegularizer = null,
      kernelConstraint = null,
      biasConstraint = null,
      ...base
    } = args;
    super(base);
    this.rank = rank;
    if (!Number.isInteger(filters) || filters <= 0) {
      throw new ValueError(
        `${this.who}: argument filters must be a positive integer. Received: filters=${filters}.`,
      );
    }
    this.filters = filters;
    this.kernelSize = normalizeTuple(kernelSize, rank, 'kernelSize', this.who);
    this.strides = normalizeTuple(strides, rank, 'strides', this.who);
    this.dilationRate = normalizeTuple(dilationRate, rank, 'dilationRate', this.who);
    this.padding = normalizePadding(padding, this.who, false) as 'valid' | 'same';
    this.outputPadding =
      outputPadding === null
        ? null
        : normalizeTuple(outputPadding, rank, 'outputPadding', this.who, true);
    if (this.outputPadding?.some((p, i) => p >= (this.strides[i] as number))) {
      throw new ValueError(
        `${this.who}: each outputPadding must be smaller than its stride. Received: outputPadding=[${this.outputPadding}], strides=[${this.strides}].`,
      );
    }
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new ValueError(
        `${this.who}: strides > 1 cannot be combined with dilationRate > 1. Received: strides=[${this.strides}], dilationRate=[${this.dilationRate}].`,
      );
    }
    this.dataFormat = normalizeDataFormat(dataFormat, this.who);
    this.activation = activations.get(activation);
    this.useBias = useBias;
    this.kernelInitializer = initializers.get(kernelInitializer);
    this.biasInitializer = initializers.get(biasInitializer);
    this.kernelRegularizer = optional(kernelRegularizer, regularizers.get);
    this.biasRegularizer = optional(biasRegularizer, regularizers.get);
    this.kernelConstraint = optional(kernelConstraint, constraints.get);
    this.biasConstraint = optional(biasConstraint, constraints.get);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  private get channelAxis(): number {
    return this.dataFormat === 'channels_last' ? this.rank + 1 : 1;
  }

  override build(inputShape: Shape): void {
    const channels = inputShape[this.channelAxis];
    if (typeof channels !== 'number') {
      throw new ValueError(
        `${this.who}: the channel dimension (axis ${this.channelAxis}) of the input must be known, received shape ${formatShape(inputShape)}.`,
      );
    }
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, axes: { [this.channelAxis]: channels } });
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, this.filters, channels],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.filters],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  /** Spatial output sizes for the given spatial input sizes (Keras's `deconv_output_length`). */
  private outputSpatial(spatial: (number | null)[]): (number | null)[] {
    return spatial.map((n, i) =>
      deconvOutputLength(
        n,
        this.kernelSize[i] as number,
        this.padding,
        this.strides[i] as number,
        this.dilationRate[i] as number,
        this.outputPadding?.[i] ?? null,
      ),
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const channelsLast = this.dataFormat === 'channels_first' ? toChannelsLast(x) : x;
      const out = this.outputSpatial(channelsLast.shape.slice(1, -1)) as number[];
      let y = convolveTranspose(channelsLast, (this.kernel as LayerVariable).read(), out, {
        strides: this.strides,
        padding: this.padding,
        dilations: this.dilationRate,
      });
      if (this.bias) y = tf.add(y, this.bias.read());
      y = this.activation(y);
      return this.dataFormat === 'channels_first' ? toChannelsFirst(y) : y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (this.dataFormat === 'channels_last') {
      return [shape[0] ?? null, ...this.outputSpatial(shape.slice(1, -1)), this.filters];
    }
    return [shape[0] ?? null, this.filters, ...this.outputSpatial(shape.slice(2))];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      output_padding: this.outputPadding,
      data_format: this.dataFormat,
      dilation_rate: this.dilationRate,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serializeOptional(this.kernelInitializer),
      bias_initializer: serializeOptional(this.biasInitializer),
      kernel_regularizer: serializeOptional(this.kernelRegularizer),
      bias_regularizer: serializeOptional(this.biasRegularizer),
      activity_regularizer: serializeOptional(this.activityRegularizer),
      kernel_constraint: serializeOptional(this.kernelConstraint),
      bias_constraint: serializeOptional(this.biasConstraint),
    };
  }
}
