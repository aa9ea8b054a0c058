import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { ValueError } from '../../errors/errors.js';
import { registerKerasClass } from '../../saving/registry.js';
import { BaseDenseAttention, type BaseDenseAttentionArgs } from './base-dense-attention.js';

/** Arguments of `AdditiveAttention`. */
export interface AdditiveAttentionArgs extends BaseDenseAttentionArgs {
  /** Learn a per-feature `scale` vector of the scores. @default true */
  useScale?: boolean;
}

/**
 * Additive (Bahdanau-style) attention: `scores = Σ_d scale_d · tanh(q_d + k_d)`, then
 * `softmax(scores) · value`. Weight: `scale` of shape `[dim]` (glorot_uniform) when `useScale`.
 *
 * @example
 * const y = new AdditiveAttention().apply([query, value]);
 */
export class AdditiveAttention extends BaseDenseAttention {
  static override readonly className: string = 'AdditiveAttention';
  scale?: LayerVariable;

  constructor(args: AdditiveAttentionArgs = {}) {
    const { useScale = true, ...rest } = args;
    super({ ...rest, useScale });
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = inputShape as Shape[];
    const dim = (shapes[2] ?? shapes[1] ?? [])?.at(-1);
    if (typeof dim !== 'number') {
      throw new ValueError(
        `${this.who}: the last dimension of key/value must be known, received shapes ${JSON.stringify(shapes)}.`,
      );
    }
    if (this.useScale) {
      this.scale = this.addWeight({ name: 'scale', shape: [dim], initializer: 'glorot_uniform' });
      this.builtFeatureDim = dim;
    }
    this.built = true;
  }

  protected scores(query: tf.Tensor, key: tf.Tensor): tf.Tensor {
    const t = tf.tanh(tf.add(tf.expandDims(query, -2), tf.expandDims(key, -3)));
    return tf.sum(this.scale ? tf.mul(this.scale.read(), t) : t, -1);
  }
}
registerKerasClass('keras.layers', AdditiveAttention);
