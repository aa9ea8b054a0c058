import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import * as constraints from '../../constraints/index.js';
import { InputSpec } from '../../engine/input-spec.js';
import {
  type CallArgs,
  Layer,
  type LayerArgs,
  type Shape,
  serializeOptional,
} from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { ValueError } from '../../errors/errors.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import type { Config } from '../../saving/registry.js';
import { optional } from './base-conv.js';
import {
  convOutputLength,
  convolve,
  type DataFormat,
  depthwiseConvolve,
  normalizeDataFormat,
  normalizePadding,
  normalizeTuple,
  toChannelsFirst,
  toChannelsLast,
} from './conv-utils.js';
import { formatShape } from '../../engine/naming.js';

/** Arguments shared by the depthwise and separable convolutions. */
export interface BaseDepthwiseArgs extends LayerArgs {
  /** Window size: one integer for every spatial axis, or one per axis. */
  kernelSize: number | number[];
  /** Output channels per input channel of the depthwise step. @default 1 */
  depthMultiplier?: number;
  /** @default 1 */
  strides?: number | number[];
  /** `'valid'` or `'same'` (TensorFlow's placement). @default 'valid' */
  padding?: 'valid' | 'same';
  /** @default 'channels_last' */
  dataFormat?: DataFormat;
  /** @default 1 */
  dilationRate?: number | number[];
  /** @default null (linear) */
  activation?: activations.ActivationIdentifier;
  /** @default true */
  useBias?: boolean;
  /** @default 'glorot_uniform' */
  depthwiseInitializer?: initializers.InitializerIdentifier;
  /** @default 'zeros' */
  biasInitializer?: initializers.InitializerIdentifier;
  /** @default null */
  depthwiseRegularizer?: regularizers.RegularizerIdentifier | null;
  /** @default null */
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  /** @default null */
  depthwiseConstraint?: constraints.ConstraintIdentifier | null;
  /** @default null */
  biasConstraint?: constraints.ConstraintIdentifier | null;
}

/** Arguments of the separable convolutions: the depthwise ones plus the pointwise step. */
export interface BaseSeparableArgs extends BaseDepthwiseArgs {
  /** Output channels of the pointwise (1x1) step. */
  filters: number;
  /** @default 'glorot_uniform' */
  pointwiseInitializer?: initializers.InitializerIdentifier;
  /** @default null */
  pointwiseRegularizer?: regularizers.RegularizerIdentifier | null;
  /** @default null */
  pointwiseConstraint?: constraints.ConstraintIdentifier | null;
}

/**
 * Depthwise convolution (each input channel convolved with its own `depthMultiplier` filters),
 * optionally followed by a pointwise 1x1 convolution (`separable`). Weights, in Keras 3 order:
 * depthwise - `kernel` `[...kernelSize, in, depthMultiplier]`, `bias` `[in * depthMultiplier]`;
 * separable - `depthwise_kernel`, `pointwise_kernel` `[1.., in * depthMultiplier, filters]`, `bias`.
 */
export abstract class BaseDepthwiseConv extends Layer {
  readonly rank: number;
  readonly kernelSize: number[];
  readonly depthMultiplier: number;
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly activation: activations.ActivationFn;
  readonly useBias: boolean;
  readonly depthwiseInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly depthwiseRegularizer: regularizers.Regularizer | null;
  readonly biasRegularizer: regularizers.Regularizer | null;
  readonly depthwiseConstraint: constraints.Constraint | null;
  readonly biasConstraint: constraints.Constraint | null;
  /** The depthwise kernel (named `kernel` in DepthwiseConv, `depthwise_kernel` in SeparableConv). */
  depthwiseKernel?: LayerVariable;
  pointwiseKernel?: LayerVariable;
  bias?: LayerVariable;
  /** Pointwise filters, or null for a plain depthwise convolution. */
  protected readonly pointwiseFilters: number | null;
  protected readonly pointwise?: {
    initializer: initializers.Initializer;
    regularizer: regularizers.Regularizer | null;
    constraint: constraints.Constraint | null;
  };

  constructor(
    rank: number,
    args: BaseDepthwiseArgs & Partial<BaseSeparableArgs>,
    separable: boolean,
  ) {
    const {
      kernelSize,
      depthMultiplier = 1,
      strides = 1,
      padding = 'valid',
      dataFormat = 'channels_last',
      dilationRate = 1,
      activation = null,
      useBias = true,
      depthwiseInitializer = 'glorot_uniform',
      biasInitializer = 'zeros',
      depthwiseRegularizer = null,
      biasRegularizer = null,
      depthwiseConstraint = null,
      biasConstraint = null,
      filters,
      pointwiseInitializer = 'glorot_uniform',
      pointwiseRegularizer = null,
      pointwiseConstraint = null,
      ...base
    } = args;
    super(base);
    this.rank = rank;
    if (!Number.isInteger(depthMultiplier) || depthMultiplier <= 0) {
      throw new ValueError(
        `${this.who}: argument depthMultiplier must be a positive integer. Received: depthMultiplier=${depthMultiplier}.`,
      );
    }
    this.pointwiseFilters = null;
    if (separable) {
      if (filters === undefined || !Number.isInteger(filters) || filters <= 0) {
        throw new ValueError(
          `${this.who}: argument filters must be a positive integer. Received: filters=${filters}.`,
        );
      }
      this.pointwiseFilters = filters;
      this.pointwise = {
        initializer: initializers.get(pointwiseInitializer),
        regularizer: optional(pointwiseRegularizer, regularizers.get),
        constraint: optional(pointwiseConstraint, constraints.get),
      };
    }
    this.depthMultiplier = depthMultiplier;
    this.kernelSize = normalizeTuple(kernelSize, rank, 'kernelSize', this.who);
    this.strides = normalizeTuple(strides, rank, 'strides', this.who);
    this.dilationRate = normalizeTuple(dilationRate, rank, 'dilationRate', this.who);
    this.padding = normalizePadding(padding, this.who, false) as 'valid' | 'same';
    this.dataFormat = normalizeDataFormat(dataFormat, this.who);
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new ValueError(
        `${this.who}: strides > 1 cannot be combined with dilationRate > 1. Received: strides=[${this.strides}], dilationRate=[${this.dilationRate}].`,
      );
    }
    this.activation = activations.get(activation);
    this.useBias = useBias;
    this.depthwiseInitializer = initializers.get(depthwiseInitializer);
    this.biasInitializer = initializers.get(biasInitializer);
    this.depthwiseRegularizer = optional(depthwiseRegularizer, regularizers.get);
    this.biasRegularizer = optional(biasRegularizer, regularizers.get);
    this.depthwiseConstraint = optional(depthwiseConstraint, constraints.get);
    this.biasConstraint = optional(biasConstraint, constraints.get);
    this.inputSpec = new InputSpec({ ndim: rank + 2 });
  }

  private get channelAxis(): number {
    return this.dataFormat === 'channels_last' ? this.rank + 1 : 1;
  }

  /** Output channels: in * depthMultiplier (depthwise) or filters (separable). */
  private outputChannels(inputChannels: number | null): number | null {
    if (this.pointwiseFilters !== null) return this.pointwiseFilters;
    return inputChannels === null ? null : inputChannels * this.depthMultiplier;
  }

  override build(inputShape: Shape): void {
    const channels = inputShape[this.channelAxis];
    if (typeof channels !== 'number') {
      throw new ValueError(
        `${this.who}: the channel dimension (axis ${this.channelAxis}) of the input must be known, received shape ${formatShape(inputShape)}.`,
      );
    }
    this.inputSpec = new InputSpec({ ndim: this.rank + 2, axes: { [this.channelAxis]: channels } });
    this.depthwiseKernel = this.addWeight({
      name: this.pointwise ? 'depthwise_kernel' : 'kernel',
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    if (this.pointwise) {
      this.pointwiseKernel = this.addWeight({
        name: 'pointwise_kernel',
        shape: [
          ...new Array<number>(this.rank).fill(1),
          channels * this.depthMultiplier,
          this.pointwiseFilters as number,
        ],
        initializer: this.pointwise.initializer,
        regularizer: this.pointwise.regularizer,
        constraint: this.pointwise.constraint,
      });
    }
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.outputChannels(channels) as number],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const channelsLast = this.dataFormat === 'channels_first' ? toChannelsLast(x) : x;
      let y = depthwiseConvolve(channelsLast, (this.depthwiseKernel as LayerVariable).read(), {
        strides: this.strides,
        padding: this.padding,
        dilations: this.dilationRate,
      });
      if (this.pointwiseKernel) {
        const ones = new Array<number>(this.rank).fill(1);
        y = convolve(y, this.pointwiseKernel.read(), {
          strides: ones,
          padding: 'valid',
          dilations: ones,
        });
      }
      if (this.bias) y = tf.add(y, this.bias.read());
      y = this.activation(y);
      return this.dataFormat === 'channels_first' ? toChannelsFirst(y) : y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    const spatial = this.kernelSize.map((k, i) =>
      convOutputLength(
        shape[first + i] ?? null,
        k,
        this.padding,
        this.strides[i] as number,
        this.dilationRate[i] as number,
      ),
    );
    const channels = this.outputChannels(shape[this.channelAxis] ?? null);
    return this.dataFormat === 'channels_last'
      ? [shape[0] ?? null, ...spatial, channels]
      : [shape[0] ?? null, channels, ...spatial];
  }

  override getConfig(): Config {
    const config: Config = { ...super.getConfig(), depth_multiplier: this.depthMultiplier };
    if (this.pointwiseFilters !== null) config.filters = this.pointwiseFilters;
    Object.assign(config, {
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: this.dilationRate,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      depthwise_initializer: serializeOptional(this.depthwiseInitializer),
    });
    if (this.pointwise)
      config.pointwise_initializer = serializeOptional(this.pointwise.initializer);
    config.bias_initializer = serializeOptional(this.biasInitializer);
    config.depthwise_regularizer = serializeOptional(this.depthwiseRegularizer);
    if (this.pointwise)
      config.pointwise_regularizer = serializeOptional(this.pointwise.regularizer);
    config.bias_regularizer = serializeOptional(this.biasRegularizer);
    config.activity_regularizer = serializeOptional(this.activityRegularizer);
    config.depthwise_constraint = serializeOptional(this.depthwiseConstraint);
    if (this.pointwise) config.pointwise_constraint = serializeOptional(this.pointwise.constraint);
    config.bias_constraint = serializeOptional(this.biasConstraint);
    return config;
  }
}
