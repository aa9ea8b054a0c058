import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs } from '../../engine/layer.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/** Keras's large negative number for float32 masking. */
const LARGE_NEGATIVE = -1e9;

/**
 * Softmax over `axes`; masked-out positions (mask false) get `-1e9` added before and are zeroed
 * after (so a fully masked row is all zeros, as Keras 3 does). `mask` broadcasts against x.
 */
export function maskedSoftmax(x: tf.Tensor, axes: number[], mask: tf.Tensor | null): tf.Tensor {
  return tf.tidy(() => {
    let logits = x;
    const m = mask ? tf.cast(mask, x.dtype) : null;
    if (m) logits = tf.add(logits, tf.mul(tf.sub(1, m), LARGE_NEGATIVE));
    const out =
      axes.length === 1 && axes[0] === x.rank - 1
        ? tf.softmax(logits, -1)
        : tf.exp(tf.sub(logits, tf.logSumExp(logits, axes, true)));
    return m ? tf.mul(out, m) : out;
  });
}

/** Arguments of {@link Softmax}. */
export interface SoftmaxArgs extends LayerArgs {
  /** Axis or axes of the normalization. @default -1 */
  axis?: number | number[];
}

/**
 * Softmax activation over `axis`; accepts a mask (`apply(x, { mask })`), true = keep.
 *
 * @example
 * ```ts
 * new Softmax().apply(tf.tensor2d([[1, 2, 3]]), { mask: tf.tensor2d([[1, 1, 0]], undefined, 'bool') });
 * ```
 */
export class Softmax extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'Softmax';
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const { axis = -1 } = args;
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor, { mask }: CallArgs): tf.Tensor {
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) =>
      a < 0 ? a + inputs.rank : a,
    );
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    return maskedSoftmax(inputs, axes, m);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: this.axis };
  }
}

registerKerasClass('keras.layers', Softmax);
