import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import type { KerasTensor } from '../../engine/keras-tensor.js';
import { type ApplyArgs, type CallArgs, Layer, type LayerArgs } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { NotFoundError } from '../../errors/errors.js';
import { type Config, type ConfigValue, registerKerasClass } from '../../saving/registry.js';

/** The function a Lambda layer wraps: inputs (and the layer's `arguments`) to outputs. */
export type LambdaFunction = (
  inputs: tf.Tensor | tf.Tensor[],
  args: Record<string, unknown>,
) => tf.Tensor | tf.Tensor[];

const functions = new Map<string, LambdaFunction>();

/** Arguments of `new Lambda(...)`. */
export interface LambdaArgs extends LayerArgs {
  /** The computation (or the name it was registered under with `Lambda.registerFunction`). */
  function: LambdaFunction | string;
  /** Output shape without the batch dimension; inferred by running the function when absent. */
  outputShape?: Shape;
  /** Output mask: a fixed tensor, or a function of (inputs, mask). @default null */
  mask?: ((inputs: tf.Tensor | tf.Tensor[], mask: Mask | Mask[] | undefined) => Mask) | null;
  /** Extra keyword arguments passed to the function. @default {} */
  arguments?: Record<string, unknown>;
}

/**
 * Wraps a function as a layer (no weights). Configs store the function by name: register it with
 * `Lambda.registerFunction(name, fn)` to save and load models that use it.
 */
export class Lambda extends Layer {
  static override readonly className = 'Lambda';
  readonly function: LambdaFunction;
  readonly functionName: string;
  readonly outputShape?: Shape;
  readonly maskFunction?: (
    inputs: tf.Tensor | tf.Tensor[],
    mask: Mask | Mask[] | undefined,
  ) => Mask;
  readonly arguments: Record<string, unknown>;

  /** Makes `fn` loadable from configs under `name`. */
  static registerFunction(name: string, fn: LambdaFunction): void {
    functions.set(name, fn);
  }

  constructor(args: LambdaArgs) {
    const { function: fn, outputShape, mask = null, arguments: extra = {}, ...base } = args;
    super(base);
    if (typeof fn === 'string') {
      const found = functions.get(fn);
      if (!found) {
        throw new NotFoundError(
          `${this.who}: no function registered as '${fn}'. Fix: call Lambda.registerFunction('${fn}', fn) before loading.`,
        );
      }
      this.function = found;
      this.functionName = fn;
    } else {
      this.function = fn;
      this.functionName =
        [...functions.entries()].find(([, f]) => f === fn)?.[0] ?? (fn.name || 'lambda');
    }
    if (outputShape) this.outputShape = [...outputShape];
    if (mask) {
      this.maskFunction = mask;
      this.supportsMasking = true;
    }
    this.arguments = { ...extra };
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs): tf.Tensor | tf.Tensor[] {
    return this.function(inputs, this.arguments);
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask | Mask[] {
    return this.maskFunction ? this.maskFunction(inputs, mask) : null;
  }

  protected override computeOutputSpec(
    inputs: KerasTensor | KerasTensor[],
    args: ApplyArgs,
  ): { outputs: { shape: Shape; dtype: tf.DataType }[]; isList: boolean } {
    if (!this.outputShape) return super.computeOutputSpec(inputs, args);
    const first = Array.isArray(inputs) ? (inputs[0] as KerasTensor) : inputs;
    return {
      outputs: [{ shape: [first.shape[0] ?? null, ...this.outputShape], dtype: first.dtype }],
      isList: false,
    };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      function: this.functionName,
      output_shape: (this.outputShape ?? null) as ConfigValue,
      arguments: this.arguments as ConfigValue,
    };
  }
}

registerKerasClass('keras.layers', Lambda);
