import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { KerasTensor } from '../../engine/keras-tensor.js';
import { type ApplyArgs, Layer } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import type { Config } from '../../saving/registry.js';

/** Plain JavaScript data the preprocessing layers accept besides tensors. */
export type HostArray = string[] | string[][] | string[][][] | number[] | number[][] | number[][][];

/** Row-major values and shape of a tensor, read on the host (strings decoded as UTF-8). */
export interface HostData<T> {
  values: T[];
  shape: number[];
}

/** A tensor from plain nested arrays (strings -> 'string' tensor, numbers -> float32 or int32). */
export function hostArrayToTensor(data: HostArray): tf.Tensor {
  const flat = (data as unknown[]).flat(Number.POSITIVE_INFINITY) as (string | number)[];
  if (flat.length > 0 && typeof flat[0] === 'string') return tf.tensor(data as string[]);
  const allInts = flat.every((v) => Number.isInteger(v));
  return tf.tensor(data as number[], undefined, allInts ? 'int32' : 'float32');
}

/** Reads a tensor's values (strings for string tensors, numbers otherwise). */
export function readHost(x: tf.Tensor): HostData<string | number> {
  const data = x.dataSync() as unknown as ArrayLike<string | number>;
  return { values: Array.from(data), shape: [...x.shape] };
}

/** Reads string data (a string tensor or nested string arrays), or throws naming the layer. */
export function readStrings(x: tf.Tensor | HostArray, who: string): HostData<string> {
  const t = x instanceof tf.Tensor ? x : hostArrayToTensor(x);
  try {
    if (t.dtype !== 'string') {
      throw new ValueError(`${who}: expected string input, received dtype ${t.dtype}.`);
    }
    return readHost(t) as HostData<string>;
  } finally {
    if (t !== x) t.dispose();
  }
}

/** A shape with null dims replaced by `fill`. */
export function concreteShape(shape: Shape, fill: number): number[] {
  return shape.map((d) => d ?? fill);
}

type AnyTensor = tf.Tensor | KerasTensor;

/**
 * Base of the structured preprocessing layers: `apply` also takes plain JS arrays (turned into
 * tensors first), and the symbolic output dtype comes from {@link outputDtype}.
 */
export abstract class PreprocessingLayer extends Layer {
  /** Dtype of the output for the current configuration. */
  protected abstract outputDtype(): tf.DataType;

  override apply(inputs: KerasTensor, args?: ApplyArgs): KerasTensor;
  override apply(inputs: KerasTensor[], args?: ApplyArgs): KerasTensor | KerasTensor[];
  override apply(inputs: tf.Tensor | HostArray, args?: ApplyArgs): tf.Tensor;
  override apply(inputs: tf.Tensor[], args?: ApplyArgs): tf.Tensor | tf.Tensor[];
  override apply(inputs: AnyTensor | AnyTensor[], args?: ApplyArgs): AnyTensor | AnyTensor[];
  override apply(
    inputs: AnyTensor | AnyTensor[] | HostArray,
    args: ApplyArgs = {},
  ): AnyTensor | AnyTensor[] {
    const isHost =
      Array.isArray(inputs) &&
      !(inputs[0] instanceof tf.Tensor) &&
      !(inputs[0] instanceof KerasTensor);
    if (!isHost) return super.apply(inputs as AnyTensor | AnyTensor[], args);
    const t = hostArrayToTensor(inputs as HostArray);
    try {
      return super.apply(t, args);
    } finally {
      t.dispose();
    }
  }

  /** Builds from a `build_config` without probing `call` (preprocessing inputs are not float zeros). */
  override buildFromConfig(config: Config): void {
    const shape = config.input_shape as Shape | null | undefined;
    if (shape && !this.built) this.maybeBuild(shape);
  }

  protected override computeOutputSpec(
    inputs: KerasTensor | KerasTensor[],
    _args: ApplyArgs,
  ): { outputs: { shape: Shape; dtype: tf.DataType }[]; isList: boolean } {
    const shape = this.computeOutputShape(
      Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape,
    ) as Shape;
    return { outputs: [{ shape, dtype: this.outputDtype() }], isList: false };
  }
}
