import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { type Config, type ConfigValue, registerKerasClass } from '../saving/registry.js';
import type { Shape } from './input-spec.js';
import { KerasTensor } from './keras-tensor.js';
import { type DTypePolicyDict, Layer, parseDtype } from './layer.js';
import { Node } from './node.js';

/** Arguments of `Input()` and `new InputLayer()`. */
export interface InputArgs {
  /** Shape without the batch dimension, `[28, 28, 1]`; null marks unknown sizes. */
  shape?: Shape;
  /** Fixed batch size. @default null (any) */
  batchSize?: number | null;
  /** Full shape including the batch dimension (instead of `shape` + `batchSize`). */
  batchShape?: Shape;
  /** @default 'float32' */
  dtype?: tf.DataType | DTypePolicyDict;
  /** @default 'input_layer', 'input_layer_1', ... */
  name?: string;
  /** Accepted for Keras config compatibility; must be false. @default false */
  sparse?: boolean;
  /** Accepted for Keras config compatibility; must be false. @default false */
  ragged?: boolean;
  /** Keras 3 optional inputs (accepted, recorded in the config). @default false */
  optional?: boolean;
}

/**
 * The layer behind `Input()`: it has no weights, and its one node produces the model input
 * KerasTensor (`inputLayer.output`).
 */
export class InputLayer extends Layer {
  static override readonly className = 'InputLayer';
  readonly batchShape: Shape;
  readonly optional: boolean;
  /** The symbolic tensor this layer produces. */
  readonly output: KerasTensor;

  constructor({
    shape,
    batchSize = null,
    batchShape,
    dtype,
    name,
    sparse = false,
    ragged = false,
    optional = false,
  }: InputArgs = {}) {
    const resolved = batchShape ?? (shape ? [batchSize, ...shape] : undefined);
    if (!resolved) {
      throw new ValueError(
        `InputLayer: pass 'shape' (without the batch dimension) or 'batchShape'. Received neither.`,
      );
    }
    const dt = parseDtype(dtype, 'InputLayer');
    super(name === undefined ? { dtype: dt } : { name, dtype: dt });
    if (sparse || ragged) {
      throw new ValueError(
        `${this.who}: sparse and ragged inputs are not supported. Received: sparse=${sparse}, ragged=${ragged}.`,
      );
    }
    for (const d of resolved) {
      if (d !== null && !(Number.isInteger(d) && d >= 0)) {
        throw new ValueError(
          `${this.who}: shape entries must be non-negative integers or null. Received: ${JSON.stringify(resolved)}.`,
        );
      }
    }
    this.batchShape = [...resolved];
    this.optional = optional;
    this.built = true;
    this.output = new KerasTensor(this.batchShape, this.dtype, this.name);
    new Node(this, [], [this.output], false, {});
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    return inputs;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override getConfig(): Config {
    return {
      batch_shape: this.batchShape as ConfigValue,
      dtype: this.dtype,
      sparse: false,
      ragged: false,
      name: this.name,
      optional: this.optional,
    };
  }

  static override fromConfig<T extends Layer>(this: new (args: never) => T, config: Config): T {
    const args: InputArgs = {
      batchShape: (config.batch_shape ?? config.batch_input_shape) as Shape,
      dtype: (config.dtype ?? 'float32') as tf.DataType,
      optional: Boolean(config.optional),
    };
    if (typeof config.name === 'string') args.name = config.name;
    return new this(args as never);
  }
}

registerKerasClass('keras.layers', InputLayer);

/**
 * A symbolic model input: `Input({ shape: [28, 28, 1] })` is a KerasTensor of shape
 * `[null, 28, 28, 1]` to pass through layers and then to `new Model({ inputs, outputs })`.
 */
export function Input(args: InputArgs): KerasTensor {
  return new InputLayer(args).output;
}
