import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';

/**
 * The parts of a `LayerVariable` (src/engine/layer-variable.ts) that optimizers and
 * `valueAndGrads` use. Structural, so plain `tf.Variable`s and layer weights are both accepted.
 */
export interface LayerVariableLike {
  readonly value: tf.Variable;
  readonly path: string;
  readonly name: string;
  readonly constraint?: unknown;
}

/** A trainable weight: a layer's `LayerVariable` or a bare `tf.Variable`. */
export type VariableLike = tf.Variable | LayerVariableLike;

/** The live `tf.Variable` behind a weight. */
export function toVariable(variable: VariableLike, argument = 'variables'): tf.Variable {
  if (variable instanceof tf.Variable) return variable;
  const value = (variable as Partial<LayerVariableLike> | null | undefined)?.value;
  if (value instanceof tf.Variable) return value;
  throw new ValueError(
    `${argument}: expected a LayerVariable or a tf.Variable, received ${describe(variable)}.`,
  );
}

/** The Keras-facing name of a weight: the LayerVariable's path, else the tfjs name. */
export function variablePath(variable: VariableLike): string {
  return variable instanceof tf.Variable ? variable.name : variable.path;
}

/** The short Keras name of a weight ('kernel'), used by `excludeFromWeightDecay`. */
export function variableName(variable: VariableLike): string {
  return variable instanceof tf.Variable ? variable.name : variable.name;
}

/** Applies a weight's constraint (a function, or an object with `call`/`apply`), if any. */
export function constrain(variable: VariableLike): void {
  if (variable instanceof tf.Variable) return;
  const constraint = variable.constraint;
  if (constraint == null) return;
  const fn =
    typeof constraint === 'function'
      ? (constraint as (w: tf.Tensor) => tf.Tensor)
      : (pickMethod(constraint, 'call') ?? pickMethod(constraint, 'apply'));
  if (fn == null) return;
  const v = variable.value;
  tf.tidy(() => v.assign(fn(v)));
}

function pickMethod(obj: unknown, key: string): ((w: tf.Tensor) => tf.Tensor) | undefined {
  const m = (obj as Record<string, unknown>)[key];
  return typeof m === 'function'
    ? (w: tf.Tensor) => (m as (w: tf.Tensor) => tf.Tensor).call(obj, w)
    : undefined;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (value instanceof tf.Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'object')
    return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `${typeof value} ${String(value)}`;
}
