import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { createRng } from '../utils/random.js';

/** One tensor, a list (in input/output order), or a record by input/output name. */
export type TensorStruct = tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;

/** An async iterable of batches: `[x, y]`, `[x, y, sampleWeight]`, `{ x, y, sampleWeight }` or `x` alone. */
export type BatchSource = AsyncIterable<unknown> | Iterable<unknown>;

/** A batch in the model's order: inputs, targets and sample weights as lists. */
export interface Batch {
  x: tf.Tensor[];
  y: tf.Tensor[] | null;
  sampleWeight: tf.Tensor[] | null;
}

export function isBatchSource(value: unknown): value is BatchSource {
  if (
    value == null ||
    typeof value !== 'object' ||
    value instanceof tf.Tensor ||
    Array.isArray(value)
  )
    return false;
  return Symbol.asyncIterator in value || Symbol.iterator in value;
}

/** Orders a tensor structure by `names` (records), or lists it. */
export function toList(
  value: TensorStruct | null | undefined,
  names: string[],
  what: string,
  who: string,
): tf.Tensor[] | null {
  if (value == null) return null;
  if (value instanceof tf.Tensor) return [value];
  if (Array.isArray(value)) {
    value.forEach((t, i) => {
      if (!(t instanceof tf.Tensor))
        throw new ValueError(`${who}: ${what}[${i}] must be a tf.Tensor, received ${typeof t}.`);
    });
    // A list of inputs or targets must match the model's; sample weights may be fewer (outputs
    // without weights).
    if (names.length > 0 && value.length !== names.length && !what.endsWith('sampleWeight')) {
      const kind = what.endsWith('x') ? 'inputs' : 'outputs';
      throw new ValueError(
        `${who}: ${what} is a list of ${value.length} tensors, but the model has ${names.length} ${kind} [${names.join(', ')}]. Fix: pass one tensor per ${kind === 'inputs' ? 'input' : 'output'}, in order, or a record by name.`,
      );
    }
    return value;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (names.length === 0) return keys.map((k) => value[k]!);
    return names.map((name) => {
      const t = value[name];
      if (!(t instanceof tf.Tensor)) {
        throw new ValueError(
          `${who}: ${what} has no tensor for '${name}'. Received keys [${keys.join(', ')}], expected [${names.join(', ')}].`,
        );
      }
      return t;
    });
  }
  throw new ValueError(
    `${who}: ${what} must be a tensor, an array of tensors or a record of tensors, received ${typeof value}.`,
  );
}

/** Splits a dataset element into x, y and sample weights. */
export function unpackElement(
  element: unknown,
  names: { inputs: string[]; outputs: string[] },
  who: string,
): Batch {
  if (element instanceof tf.Tensor) return { x: [element], y: null, sampleWeight: null };
  if (Array.isArray(element)) {
    if (element.length === 0 || element.length > 3) {
      throw new ValueError(
        `${who}: a dataset element must be [x], [x, y] or [x, y, sampleWeight], received an array of length ${element.length}.`,
      );
    }
    const [x, y, sw] = element as [TensorStruct, TensorStruct?, TensorStruct?];
    return {
      x: toList(x, names.inputs, 'x', who)!,
      y: toList(y, names.outputs, 'y', who),
      sampleWeight: toList(sw, names.outputs, 'sampleWeight', who),
    };
  }
  if (element != null && typeof element === 'object' && 'x' in element) {
    const e = element as { x: TensorStruct; y?: TensorStruct; sampleWeight?: TensorStruct };
    return {
      x: toList(e.x, names.inputs, 'x', who)!,
      y: toList(e.y, names.outputs, 'y', who),
      sampleWeight: toList(e.sampleWeight, names.outputs, 'sampleWeight', who),
    };
  }
  throw new ValueError(
    `${who}: could not read a dataset element: expected [x, y], [x, y, sampleWeight] or { x, y }, received ${typeof element}.`,
  );
}

/** Batches in-memory tensors: slices (or gathers, when shuffling) one batch at a time. */
export class ArrayAdapter {
  readonly size: number;
  readonly batchSize: number;
  readonly steps: number;

  constructor(
    readonly x: tf.Tensor[],
    readonly y: tf.Tensor[] | null,
    readonly sampleWeight: tf.Tensor[] | null,
    batchSize: number,
    readonly shuffle: boolean,
    who: string,
  ) {
    const all = [...x, ...(y ?? []), ...(sampleWeight ?? [])];
    const size = x[0]?.shape[0];
    if (size === undefined)
      throw new ValueError(`${who}: x must hold at least one tensor with a batch dimension.`);
    for (const t of all) {
      if (t.shape[0] !== size) {
        throw new ValueError(
          `${who}: all inputs, targets and sample weights must have the same number of samples; received sizes [${all.map((a) => a.shape[0]).join(', ')}].`,
        );
      }
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValueError(`${who}: batchSize must be a positive integer, received ${batchSize}.`);
    }
    this.size = size;
    this.batchSize = batchSize;
    this.steps = Math.ceil(size / batchSize);
  }

  /** Index order for one epoch (a fresh permutation when shuffling). */
  epochOrder(): Int32Array | null {
    if (!this.shuffle) return null;
    const order = new Int32Array(this.size);
    for (let i = 0; i < this.size; i++) order[i] = i;
    // Seeded through the global seed, so utils.setRandomSeed makes the batch order reproducible.
    const rng = createRng();
    for (let i = this.size - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const tmp = order[i]!;
      order[i] = order[j]!;
      order[j] = tmp;
    }
    return order;
  }

  /** Batch `step` of an epoch; call inside a `tf.tidy` (the slices are new tensors). */
  batch(step: number, order: Int32Array | null): Batch {
    const start = step * this.batchSize;
    const count = Math.min(this.batchSize, this.size - start);
    let take: (t: tf.Tensor) => tf.Tensor;
    if (order) {
      const indices = tf.tensor1d(order.subarray(start, start + count), 'int32');
      take = (t) => tf.gather(t, indices);
    } else if (start === 0 && count === this.size) {
      take = (t) => t;
    } else {
      take = (t) => tf.slice(t, start, count);
    }
    return {
      x: this.x.map(take),
      y: this.y ? this.y.map(take) : null,
      sampleWeight: this.sampleWeight ? this.sampleWeight.map(take) : null,
    };
  }
}

/** Splits the last `fraction` of the samples off for validation (before any shuffling), as Keras does. */
export function splitTail(tensors: tf.Tensor[], fraction: number): [tf.Tensor[], tf.Tensor[]] {
  const n = tensors[0]!.shape[0]!;
  const at = Math.floor(n * (1 - fraction));
  return [tensors.map((t) => tf.slice(t, 0, at)), tensors.map((t) => tf.slice(t, at, n - at))];
}
