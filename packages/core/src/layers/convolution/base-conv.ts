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
import {
  type ConvPadding,
  convOutputLength,
  convolve,
  type DataFormat,
  normalizeDataFormat,
  normalizePadding,
  normalizeTuple,
  toChannelsFirst,
  toChannelsLast,
} from './conv-utils.js';
import { formatShape } from '../../engine/naming.js';

/** Arguments shared by Conv1D, Conv2D and Conv3D. */
export interface BaseConvArgs extends LayerArgs {
  /** Number of output channels (filters). */
  filters: number;
  /** Window size: one integer for every spatial axis, or one per axis. */
  kernelSize: number | number[];
  /** Step of the window. Strides > 1 cannot be combined with dilation > 1. @default 1 */
  strides?: number | number[];
  /**
   * `'valid'` (no padding), `'same'` (output size ceil(input / stride); TensorFlow's placement,
   * the odd zero at the end) or, for Conv1D only, `'causal'` (left padding). @default 'valid'
   */
  padding?: ConvPadding;
  /** Where the channel axis sits. @default 'channels_last' */
  dataFormat?: DataFormat;
  /** Spacing between kernel taps. @default 1 */
  dilationRate?: number | number[];
  /** Number of channel groups convolved separately; divides input channels and filters. @default 1 */
  groups?: number;
  /** Applied to the output; null is linear. @default null */
  activation?: activations.ActivationIdentifier;
  /** Whether to add a bias per filter. @default true */
  useBias?: boolean;
  /** @default 'glorot_uniform' */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** @default 'zeros' */
  biasInitializer?: initializers.InitializerIdentifier;
  /** @default null */
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  /** @default null */
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  /** @default null */
  kernelConstraint?: constraints.ConstraintIdentifier | null;
  /** @default null */
  biasConstraint?: constraints.ConstraintIdentifier | null;
}

/**
 * The N-D convolution layer behind Conv1D/2D/3D: kernel `[...kernelSize, in / groups, filters]`,
 * bias `[filters]`, output `activation(conv(x, kernel) + bias)`.
 */
export abstract class BaseConv extends Layer {
  /** Number of spatial axes (1, 2 or 3). */
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: ConvPadding;
  readonly dataFormat: DataFormat;
  readonly dilationRate: number[];
  readonly groups: number;
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

  constructor(rank: number, args: BaseConvArgs) {
    const {
      filters,
      kernelSize,
      strides = 1,
      padding = 'valid',
      dataFormat = 'channels_last',
      dilationRate = 1,
      groups = 1,
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
    if (!Number.isInteger(groups) || groups <= 0 || filters % groups !== 0) {
      throw new ValueError(
        `${this.who}: argument groups must be a positive integer dividing filters. Received: groups=${groups}, filters=${filters}.`,
      );
    }
    this.filters = filters;
    this.groups = groups;
    this.kernelSize = normalizeTuple(kernelSize, rank, 'kernelSize', this.who);
    this.strides = normalizeTuple(strides, rank, 'strides', this.who);
    this.dilationRate = normalizeTuple(dilationRate, rank, 'dilationRate', this.who);
    this.padding = normalizePadding(padding, this.who, rank === 1);
    this.dataFormat = normalizeDataFormat(dataFormat, this.who);
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new ValueError(
        `${this.who}: strides > 1 cannot be combined with dilationRate > 1. Received: strides=[${this.strides}], dilationRate=[${this.dilationRate}].`,
      );
    }
    this.activation = activations.get(activation);
    this.useBias = useBias;
    this.kernelInitializer = initializers.get(kernelInitializer);
    this.biasInitializer = initializers.get(biasInitializer);
    this.kernelRegularizer = optional(kernelRegularizer, regularizers.get);
    this.biasRegularizer = optional(biasRegularizer, regularizers.get);
    this.kernelConstraint = optional(kernelConstraint, constraints.get);
    this.biasConstraint = optional(biasConstraint, constraints.get);
    this.inputSpec = new InputSpec({ minNdim: rank + 2 });
  }

  /** Index of the channel axis in an input of this layer's rank. */
  protected get channelAxis(): number {
    return this.dataFormat === 'channels_last' ? this.rank + 1 : 1;
  }

  /** The input's channel count, which the kernel shape needs. */
  protected inputChannels(inputShape: Shape): number {
    const channels = inputShape[this.channelAxis];
    if (typeof channels !== 'number') {
      throw new ValueError(
        `${this.who}: the channel dimension (axis ${this.channelAxis}) of the input must be known, received shape ${formatShape(inputShape)}.`,
      );
    }
    return channels;
  }

  override build(inputShape: Shape): void {
    const channels = this.inputChannels(inputShape);
    if (channels % this.groups !== 0) {
      throw new ValueError(
        `${this.who}: input channels must be divisible by groups=${this.groups}, received ${channels} channels (input shape ${formatShape(inputShape)}).`,
      );
    }
    this.inputSpec = new InputSpec({
      minNdim: this.rank + 2,
      axes: { [this.channelAxis]: channels },
    });
    this.computeOutputShape(inputShape);
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, channels / this.groups, this.filters],
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

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const channelsLast = this.dataFormat === 'channels_first' ? toChannelsLast(x) : x;
      let y = convolve(
        channelsLast,
        (this.kernel as LayerVariable).read(),
        { strides: this.strides, padding: this.padding, dilations: this.dilationRate },
        this.groups,
      );
      if (this.bias) y = tf.add(y, this.bias.read());
      y = this.activation(y);
      return this.dataFormat === 'channels_first' ? toChannelsFirst(y) : y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length !== this.rank + 2) {
      throw new ValueError(
        `${this.who}: expected input of rank ${this.rank + 2}, received shape ${formatShape(shape)}.`,
      );
    }
    const first = this.dataFormat === 'channels_last' ? 1 : 2;
    const spatial = this.kernelSize.map((k, i) => {
      const length = convOutputLength(
        shape[first + i] ?? null,
        k,
        this.padding,
        this.strides[i] as number,
        this.dilationRate[i] as number,
      );
      if (length !== null && length <= 0) {
        throw new ValueError(
          `${this.who}: the input is too small for the kernel: input shape ${formatShape(shape)}, kernelSize=[${this.kernelSize}], dilationRate=[${this.dilationRate}], padding='${this.padding}' give a non-positive output size.`,
        );
      }
      return length;
    });
    return this.dataFormat === 'channels_last'
      ? [shape[0] ?? null, ...spatial, this.filters]
      : [shape[0] ?? null, this.filters, ...spatial];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernel_size: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: this.dilationRate,
      groups: this.groups,
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

/** Resolves an optional identifier (null/undefined stay null). */
export function optional<I, T>(
  identifier: I | null | undefined,
  get: (identifier: I) => T,
): T | null {
  return identifier == null ? null : get(identifier);
}
