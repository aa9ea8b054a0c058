import * as tf from '@tensorflow/tfjs-core';
import { InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { ValueError } from '../../errors/errors.js';
import {
  type Config,
  type ConfigValue,
  deserializeKerasObject,
  type KerasObjectDict,
  registerKerasClass,
  serializeKerasObject,
} from '../../saving/registry.js';

/** Arguments of `TimeDistributed`. */
export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every timestep (sharing its weights across steps). */
  layer: Layer | KerasObjectDict;
}

/**
 * The inner layer's spec for `[batch * time, ...]` as a spec for `[batch, time, ...]`: one more
 * axis, so ranks grow by one and non-negative axes shift by one (negative axes stay).
 */
function withTimeAxis(spec: InputSpec): InputSpec {
  const axes = spec.axes
    ? Object.fromEntries(
        Object.entries(spec.axes).map(([axis, size]) => {
          const a = Number(axis);
          return [a < 0 ? a : a + 1, size];
        }),
      )
    : undefined;
  return new InputSpec({
    ...(spec.dtype ? { dtype: spec.dtype } : {}),
    ...(spec.shape ? { shape: [spec.shape[0] ?? null, null, ...spec.shape.slice(1)] } : {}),
    ...(spec.ndim !== undefined && !spec.shape ? { ndim: spec.ndim + 1 } : {}),
    ...(spec.maxNdim !== undefined ? { maxNdim: spec.maxNdim + 1 } : {}),
    minNdim: Math.max(3, (spec.minNdim ?? 2) + 1),
    ...(axes ? { axes } : {}),
    allowLastAxisSqueeze: spec.allowLastAxisSqueeze,
  });
}

/**
 * Applies a layer to every temporal slice of `[batch, time, ...]` inputs, with the same weights:
 * the time axis is folded into the batch for one call of the inner layer. The input mask passes
 * through unchanged.
 *
 * @example
 * const td = new TimeDistributed({ layer: new Dense({ units: 8 }) });
 * const y = td.apply(tf.randomNormal([2, 10, 3])); // [2, 10, 8]
 */
export class TimeDistributed extends Layer {
  static override readonly className: string = 'TimeDistributed';
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    const { layer, ...layerArgs } = args;
    super(layerArgs);
    const made = layer instanceof Layer ? layer : deserializeKerasObject(layer as KerasObjectDict);
    if (!(made instanceof Layer))
      throw new ValueError(`${this.who}: expected layer to be a Layer, received ${String(made)}.`);
    this.layer = made;
    this.supportsMasking = true;
  }

  private innerShape(shape: Shape): Shape {
    if (shape.length < 3) {
      throw new ValueError(
        `${this.who}: expected input of rank >= 3 ([batch, time, ...]), received shape ${JSON.stringify(shape)}.`,
      );
    }
    const [batch, time] = shape;
    return [
      batch !== null && time !== null ? (batch as number) * (time as number) : null,
      ...shape.slice(2),
    ];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.layer.maybeBuild(this.innerShape(inputShape as Shape));
    // call() runs the inner layer's call directly, so its input check moves here (with the time axis).
    const inner = this.layer.inputSpec;
    this.inputSpec =
      inner instanceof InputSpec ? withTimeAxis(inner) : new InputSpec({ minNdim: 3 });
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const [batch, time] = x.shape as [number, number];
    const mask = Array.isArray(args.mask) ? (args.mask[0] ?? null) : (args.mask ?? null);
    const innerArgs: CallArgs = { training: args.training ?? false };
    if (mask && this.layer.supportsMasking && mask.rank > 2)
      innerArgs.mask = tf.reshape(mask, [batch * time, ...mask.shape.slice(2)]);
    const y = this.layer.call(tf.reshape(x, [batch * time, ...x.shape.slice(2)]), innerArgs);
    if (Array.isArray(y))
      throw new ValueError(
        `${this.who}: the inner layer must return one tensor, received ${y.length}.`,
      );
    return tf.reshape(y, [batch, time, ...y.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    const inner = this.layer.computeOutputShape(this.innerShape(shape)) as Shape;
    return [shape[0] ?? null, shape[1] ?? null, ...inner.slice(1)];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask {
    return Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      layer: serializeKerasObject(this.layer) as unknown as ConfigValue,
    };
  }
}
registerKerasClass('keras.layers', TimeDistributed);
