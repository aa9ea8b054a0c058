import * as tf from '@tensorflow/tfjs-core';
import type { CallArgs, Shape } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { formatShape } from '../../engine/naming.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { broadcastMask, Merge, type MergeArgs, maskList } from './base-merge.js';

/** Arguments of `Concatenate`. */
export interface ConcatenateArgs extends MergeArgs {
  /** Axis along which to concatenate (negative counts from the end). @default -1 */
  axis?: number;
}

/**
 * Concatenates a list of inputs along `axis`; every other dimension must match. With masks, an
 * unmasked input counts as all-kept, and the output mask is Keras's: the concatenated (broadcast)
 * masks reduced with `any` over the last axis.
 *
 * @example
 * ```ts
 * const y = new layers.Concatenate({ axis: 1 }).apply([tf.ones([2, 2, 5]), tf.ones([2, 1, 5])]); // [2, 3, 5]
 * ```
 */
export class Concatenate extends Merge {
  static override readonly className: string = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    const { axis = -1, ...base } = args;
    super(base);
    if (!Number.isInteger(axis))
      throw new ValueError(`${this.who}: axis must be an integer, received axis=${axis}.`);
    this.axis = axis;
  }

  private resolveAxis(rank: number, shapes: Shape[]): number {
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 0 || axis >= rank) {
      throw new ValueError(
        `${this.who}: axis ${this.axis} is out of bounds for inputs of rank ${rank} (shapes ${formatShape(shapes)}).`,
      );
    }
    return axis;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.checkInputs(inputShape);
    const first = shapes[0] as Shape;
    const rank = first.length;
    const axis = this.resolveAxis(rank, shapes);
    const mismatch = () =>
      new ValueError(
        `${this.who}: expected inputs with matching shapes except along axis ${this.axis}, received shapes ${formatShape(shapes)}.`,
      );
    const out = [...first];
    for (const shape of shapes.slice(1)) {
      if (shape.length !== rank) throw mismatch();
      shape.forEach((d, i) => {
        if (i === axis) {
          out[i] = out[i] === null || d === null ? null : (out[i] as number) + d;
        } else if (i > 0 && d !== null && out[i] !== null && d !== out[i]) {
          throw mismatch();
        } else if (out[i] === null) out[i] = d;
      });
    }
    return out;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const shapes = list.map((t) => t.shape as Shape);
    this.computeOutputShape(shapes);
    return tf.concat(list, this.resolveAxis(list[0]?.rank ?? 0, shapes));
  }

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    return tf.concat(inputs, this.axis);
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const masks = maskList(mask, list.length);
    if (!masks) return null;
    const full = list.map((x, i) => {
      const m = masks[i];
      return m ? broadcastMask(m, x) : tf.onesLike(x).cast('bool');
    });
    const axis = this.resolveAxis(
      list[0]?.rank ?? 0,
      list.map((t) => t.shape),
    );
    return tf.any(tf.concat(full, axis), -1);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis };
  }
}
registerKerasClass('keras.layers', Concatenate);
