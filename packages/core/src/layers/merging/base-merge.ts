import * as tf from '@tensorflow/tfjs-core';
import type { KerasTensor } from '../../engine/keras-tensor.js';
import {
  type ApplyArgs,
  type CallArgs,
  Layer,
  type LayerArgs,
  type Shape,
} from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { formatShape } from '../../engine/naming.js';
import { ValueError } from '../../errors/errors.js';

/** Broadcast shape of two concrete shapes (numpy rules). */
function broadcastShape(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, k) => {
    const i = a[a.length - rank + k] ?? 1;
    const j = b[b.length - rank + k] ?? 1;
    return i === 1 ? j : i;
  });
}

/** Arguments of the elementwise merge layers (Add, Subtract, Multiply, Average, Maximum, Minimum). */
export type MergeArgs = LayerArgs;

function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** The input masks of a merge call, one per input (null where an input has none), or null when none has one. */
export function maskList(mask: CallArgs['mask'], count: number): Mask[] | null {
  if (mask === undefined || mask === null) return null;
  const list = Array.isArray(mask) ? mask : [mask];
  if (list.every((m) => m === null || m === undefined)) return null;
  return Array.from({ length: count }, (_, i) => list[i] ?? null);
}

/** A `[batch, ...]` mask broadcast to the shape of `x` (a trailing axis added while its rank is lower). */
export function broadcastMask(mask: tf.Tensor, x: tf.Tensor): tf.Tensor {
  let m = tf.cast(mask, 'bool');
  while (m.rank < x.rank) m = tf.expandDims(m, -1);
  return tf.logicalAnd(m, tf.onesLike(x).cast('bool'));
}

/**
 * Shared base of the elementwise merge layers. Takes a list of inputs with the same batch size
 * and broadcast-compatible shapes (inputs of lower rank get size-1 axes inserted after the batch
 * axis, as Keras does), merges them with `mergeFunction`, and ORs the input masks when every input
 * has one (Keras's `Merge.compute_mask`).
 */
export abstract class Merge extends Layer {
  /** Smallest and largest number of inputs the layer accepts. */
  protected readonly minInputs: number = 1;
  protected readonly maxInputs: number = Number.POSITIVE_INFINITY;

  constructor(args: MergeArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Calls the layer on a list of inputs; a merge layer has exactly one output. */
  override apply(inputs: KerasTensor | KerasTensor[], args?: ApplyArgs): KerasTensor;
  override apply(inputs: tf.Tensor | tf.Tensor[], args?: ApplyArgs): tf.Tensor;
  override apply(
    inputs: (KerasTensor | tf.Tensor) | (KerasTensor | tf.Tensor)[],
    args?: ApplyArgs,
  ): KerasTensor | tf.Tensor;
  override apply(
    inputs: (KerasTensor | tf.Tensor) | (KerasTensor | tf.Tensor)[],
    args: ApplyArgs = {},
  ): KerasTensor | tf.Tensor {
    return super.apply(inputs, args) as KerasTensor | tf.Tensor;
  }

  /** Merges inputs of equal rank (broadcasting); `masks` are the input masks broadcast to each input, when given. */
  protected abstract mergeFunction(
    inputs: tf.Tensor[],
    masks: (tf.Tensor | null)[] | null,
  ): tf.Tensor;

  /** Checks the input count and batch sizes; returns the shapes. */
  protected checkInputs(inputShape: Shape | Shape[]): Shape[] {
    if (!isShapeList(inputShape)) {
      throw new ValueError(
        `${this.who}: a merge layer must be called on a list of inputs, received one input of shape ${formatShape(inputShape)}.`,
      );
    }
    const count = inputShape.length;
    if (count < this.minInputs || count > this.maxInputs) {
      const expected =
        this.minInputs === this.maxInputs
          ? `exactly ${this.minInputs}`
          : `at least ${this.minInputs}`;
      throw new ValueError(
        `${this.who}: expected ${expected} inputs, received ${count} (shapes ${formatShape(inputShape)}).`,
      );
    }
    const batches = new Set(
      inputShape.map((s) => s[0]).filter((d): d is number => d !== null && d !== undefined),
    );
    if (batches.size > 1) {
      throw new ValueError(
        `${this.who}: cannot merge tensors with different batch sizes, received shapes ${formatShape(inputShape)}.`,
      );
    }
    return inputShape;
  }

  /** Broadcast shape of two shapes without the batch axis (Keras's `_compute_elemwise_op_output_shape`). */
  private broadcastShapes(a: Shape, b: Shape, all: Shape[]): Shape {
    const [long, short] = a.length >= b.length ? [a, b] : [b, a];
    const out: Shape = long.slice(0, long.length - short.length);
    short.forEach((j, k) => {
      const i = long[long.length - short.length + k] ?? null;
      if (i === null || j === null) out.push(i === 1 ? j : j === 1 ? i : null);
      else if (i === 1) out.push(j);
      else if (j === 1 || i === j) out.push(i);
      else {
        throw new ValueError(
          `${this.who}: inputs have incompatible shapes; expected shapes that broadcast together, received shapes ${formatShape(all)}.`,
        );
      }
    });
    return out;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs = {}): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.checkInputs(list.map((t) => t.shape));
    const masks = maskList(args.mask, list.length);
    const maxRank = Math.max(...list.map((t) => t.rank));
    // Keras inserts the missing axes of lower-rank inputs right after the batch axis.
    const expand = (t: tf.Tensor): tf.Tensor => {
      let x = t;
      while (x.rank < maxRank) x = tf.expandDims(x, 1);
      return x;
    };
    let expanded = list.map(expand);
    if (masks) {
      // With masks, every input is broadcast to the common shape first so masks line up.
      const shape = expanded.reduce(
        (acc, t) => broadcastShape(acc, t.shape),
        (expanded[0] as tf.Tensor).shape,
      );
      expanded = expanded.map((t) =>
        tf.util.arraysEqual(t.shape, shape) ? t : tf.broadcastTo(t, shape),
      );
    }
    const broadcastMasks = masks
      ? masks.map((m, i) => (m ? broadcastMask(m, expanded[i] as tf.Tensor) : null))
      : null;
    return this.mergeFunction(expanded, broadcastMasks);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.checkInputs(inputShape);
    let out = (shapes[0] as Shape).slice(1);
    for (const shape of shapes.slice(1)) out = this.broadcastShapes(out, shape.slice(1), shapes);
    const batch = shapes.map((s) => s[0]).find((d) => d !== null && d !== undefined) ?? null;
    return [batch, ...out];
  }

  /** The OR of the input masks when every input has one, else null. */
  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask {
    const count = Array.isArray(inputs) ? inputs.length : 1;
    const masks = maskList(mask, count);
    if (!masks || masks.some((m) => m === null)) return null;
    return (masks as tf.Tensor[])
      .slice(1)
      .reduce((acc, m) => tf.logicalOr(acc, m), tf.cast(masks[0] as tf.Tensor, 'bool'));
  }
}

/**
 * Folds `op` over inputs whose masked entries are replaced by `identity` (0 for a sum, 1 for a
 * product), so masked entries do not contribute.
 */
export function foldWithIdentity(
  inputs: tf.Tensor[],
  masks: (tf.Tensor | null)[] | null,
  identity: number,
  op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  const values = inputs.map((x, i) => {
    const m = masks?.[i];
    return m ? tf.where(m, x, tf.fill(x.shape, identity, x.dtype)) : x;
  });
  return values.slice(1).reduce(op, values[0] as tf.Tensor);
}

/**
 * Keras's merge-and-OR fold for operations without an identity (maximum, minimum): where the next
 * input is masked it takes the running value, where the running value is masked it takes the next
 * input, then `op` combines them.
 */
export function foldMasked(
  inputs: tf.Tensor[],
  masks: (tf.Tensor | null)[] | null,
  op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  let output = inputs[0] as tf.Tensor;
  let outputMask: tf.Tensor | null = masks?.[0] ?? null;
  inputs.slice(1).forEach((input, k) => {
    let x = input;
    const mask = masks?.[k + 1] ?? null;
    if (mask) x = tf.where(mask, x, output);
    if (outputMask) output = tf.where(outputMask, output, x);
    outputMask = mask && outputMask ? tf.logicalOr(outputMask, mask) : null;
    output = op(output, x);
  });
  return output;
}
