import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { formatShape } from './naming.js';

/** A tensor shape; null marks an unknown dimension (usually the batch). */
export type Shape = (number | null)[];

/** Arguments of `new InputSpec(...)`; every field is optional and checked only when given. */
export interface InputSpecArgs {
  /** Expected dtype. */
  dtype?: tf.DataType;
  /** Expected full shape (null entries match anything). */
  shape?: Shape;
  /** Exact rank. */
  ndim?: number;
  /** Largest rank allowed. */
  maxNdim?: number;
  /** Smallest rank allowed. */
  minNdim?: number;
  /** Required sizes of given axes, negative axes count from the end: `{ [-1]: 4 }`. */
  axes?: Record<number, number>;
  /** Accept a rank one larger than `ndim` whose last dimension is 1. @default false */
  allowLastAxisSqueeze?: boolean;
  /** What messages call this input (`'query'`); default `input` (`input 1` in a list). */
  name?: string;
}

/**
 * What a layer expects of each input: rank, dtype and sizes of chosen axes. `layer.apply` checks
 * it and throws a `ValueError` naming the layer, the expectation and the received shape.
 */
export class InputSpec {
  readonly dtype?: tf.DataType;
  readonly shape?: Shape;
  readonly ndim?: number;
  readonly maxNdim?: number;
  readonly minNdim?: number;
  readonly axes?: Record<number, number>;
  readonly allowLastAxisSqueeze: boolean;
  readonly name?: string;

  constructor({
    dtype,
    shape,
    ndim,
    maxNdim,
    minNdim,
    axes,
    allowLastAxisSqueeze = false,
    name,
  }: InputSpecArgs = {}) {
    if (dtype !== undefined) this.dtype = dtype;
    if (shape !== undefined) {
      this.shape = [...shape];
      this.ndim = shape.length;
    } else if (ndim !== undefined) this.ndim = ndim;
    if (maxNdim !== undefined) this.maxNdim = maxNdim;
    if (minNdim !== undefined) this.minNdim = minNdim;
    if (axes !== undefined) this.axes = { ...axes };
    this.allowLastAxisSqueeze = allowLastAxisSqueeze;
    if (name !== undefined) this.name = name;
  }
}

/**
 * Checks input shapes against a layer's spec(s); `who` names the layer (`Dense 'dense_3'`).
 * Throws a `ValueError` like `Dense 'dense_3': expected input with last dimension 4, received shape [null, 5].`
 */
export function assertInputCompatibility(
  who: string,
  spec: InputSpec | InputSpec[] | undefined,
  inputs: { shape: readonly (number | null)[]; dtype: tf.DataType }[],
): void {
  if (!spec) return;
  const specs = Array.isArray(spec) ? spec : [spec];
  if (Array.isArray(spec) && specs.length !== inputs.length) {
    throw new ValueError(`${who}: expected ${specs.length} inputs, received ${inputs.length}.`);
  }
  specs.forEach((s, i) => {
    const input = inputs[i];
    if (!input) return;
    const which = s.name ?? (specs.length > 1 ? `input ${i}` : 'input');
    const shape = input.shape;
    const fail = (what: string): never => {
      throw new ValueError(
        `${who}: expected ${which} with ${what}, received shape ${formatShape(shape as (number | null)[])}.`,
      );
    };
    const rank = shape.length;
    if (s.ndim !== undefined && rank !== s.ndim) {
      const squeezable = s.allowLastAxisSqueeze && rank === s.ndim + 1 && shape[rank - 1] === 1;
      if (!squeezable) fail(`rank ${s.ndim}`);
    }
    if (s.minNdim !== undefined && rank < s.minNdim) fail(`rank >= ${s.minNdim}`);
    if (s.maxNdim !== undefined && rank > s.maxNdim) fail(`rank <= ${s.maxNdim}`);
    if (s.dtype !== undefined && input.dtype !== s.dtype) {
      throw new ValueError(
        `${who}: expected ${which} of dtype ${s.dtype}, received dtype ${input.dtype}.`,
      );
    }
    if (s.axes) {
      for (const [key, size] of Object.entries(s.axes)) {
        const axis = Number(key);
        const dim = shape[axis < 0 ? rank + axis : axis];
        if (dim != null && dim !== size) {
          fail(axis === -1 ? `last dimension ${size}` : `dimension ${size} at axis ${axis}`);
        }
      }
    }
    if (s.shape) {
      s.shape.forEach((expected, d) => {
        const actual = shape[d];
        if (expected != null && actual != null && expected !== actual) {
          fail(`shape ${formatShape(s.shape as Shape)}`);
        }
      });
    }
  });
}
