import * as tf from '@tensorflow/tfjs-core';
import type { CallArgs, Shape } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { formatShape } from '../../engine/naming.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, type ConfigValue, registerKerasClass } from '../../saving/registry.js';
import { Merge, type MergeArgs } from './base-merge.js';

/** Arguments of `Dot`. */
export interface DotArgs extends MergeArgs {
  /** Axis (one for both inputs) or `[axisOfFirst, axisOfSecond]` summed over; never the batch axis 0. */
  axes: number | [number, number];
  /** L2-normalise both inputs along the summed axes first (the output is then the cosine similarity). @default false */
  normalize?: boolean;
}

/**
 * Batchwise dot product of exactly two inputs along `axes` (Keras's `batch_dot`): the output shape
 * is the first input's shape without its summed axis, followed by the second's without its batch
 * and summed axes; a result of rank 1 becomes `[batch, 1]`. The output has no mask.
 *
 * @example
 * ```ts
 * const y = new layers.Dot({ axes: [1, 2] }).apply([tf.ones([2, 3, 5]), tf.ones([2, 10, 3])]); // [2, 5, 10]
 * ```
 */
export class Dot extends Merge {
  static override readonly className: string = 'Dot';
  protected override readonly minInputs: number = 2;
  protected override readonly maxInputs: number = 2;
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    const { axes, normalize = false, ...base } = args;
    super(base);
    const ok =
      Number.isInteger(axes) ||
      (Array.isArray(axes) && axes.length === 2 && axes.every(Number.isInteger));
    if (!ok) {
      throw new ValueError(
        `${this.who}: axes must be an integer or a list of two integers, received axes=${JSON.stringify(axes)}.`,
      );
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = normalize;
  }

  /** The summed axis of each input, made non-negative. */
  private resolveAxes(shapes: Shape[]): [number, number] {
    const [r1, r2] = [shapes[0]?.length ?? 0, shapes[1]?.length ?? 0];
    const [p0, p1] = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const axes: [number, number] = [p0 < 0 ? p0 + r1 : p0, p1 < 0 ? p1 + r2 : p1];
    if (r1 < 2 || r2 < 2) {
      throw new ValueError(
        `${this.who}: expected two inputs of rank >= 2, received shapes ${formatShape(shapes)}.`,
      );
    }
    if (axes[0] <= 0 || axes[0] >= r1 || axes[1] <= 0 || axes[1] >= r2) {
      throw new ValueError(
        `${this.who}: axes ${JSON.stringify(this.axes)} must name a non-batch axis of each input, received shapes ${formatShape(shapes)}.`,
      );
    }
    return axes;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.checkInputs(inputShape);
    const [a0, a1] = this.resolveAxes(shapes);
    const s1 = [...(shapes[0] as Shape)];
    const s2 = [...(shapes[1] as Shape)];
    const [d1, d2] = [s1[a0] ?? null, s2[a1] ?? null];
    if (d1 !== null && d2 !== null && d1 !== d2) {
      throw new ValueError(
        `${this.who}: expected equal sizes along the summed axes (axis ${a0} of the first input, axis ${a1} of the second), received shapes ${formatShape(shapes)} (${d1} != ${d2}).`,
      );
    }
    s1.splice(a0, 1);
    s2.splice(a1, 1);
    s2.shift();
    const out = [...s1, ...s2];
    return out.length === 1 ? [...out, 1] : out;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    return this.mergeFunction(Array.isArray(inputs) ? inputs : [inputs]);
  }

  protected override mergeFunction(inputs: tf.Tensor[]): tf.Tensor {
    const outShape = this.computeOutputShape(inputs.map((t) => t.shape)) as number[];
    let [x, y] = inputs as [tf.Tensor, tf.Tensor];
    const [a0, a1] = this.resolveAxes([x.shape, y.shape]);
    if (this.normalize) {
      const l2 = (t: tf.Tensor, axis: number) =>
        tf.mul(t, tf.rsqrt(tf.maximum(tf.sum(tf.square(t), axis, true), 1e-12)));
      x = l2(x, a0);
      y = l2(y, a1);
    }
    // x: [batch, rest..., k]; y: [batch, k, rest...]; then one batched matMul of the flattened rests.
    const xPerm = [...x.shape.keys()].filter((i) => i !== a0).concat(a0);
    const yPerm = [0, a1, ...[...y.shape.keys()].filter((i) => i !== 0 && i !== a1)];
    const xt = tf.transpose(x, xPerm);
    const yt = tf.transpose(y, yPerm);
    const batch = x.shape[0] as number;
    const k = x.shape[a0] as number;
    const product = tf.matMul(tf.reshape(xt, [batch, -1, k]), tf.reshape(yt, [batch, k, -1]));
    return tf.reshape(product, outShape);
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], _mask?: Mask | Mask[]): Mask {
    return null;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axes: this.axes as ConfigValue, normalize: this.normalize };
  }
}
registerKerasClass('keras.layers', Dot);
