import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { BaseDenseAttention, type BaseDenseAttentionArgs } from './base-dense-attention.js';

/** Arguments of `Attention`. */
export interface AttentionArgs extends BaseDenseAttentionArgs {
  /** Learn a scalar `scale` multiplying the scores. @default false */
  useScale?: boolean;
  /** `'dot'`: query·keyᵀ; `'concat'`: `w · Σ tanh(scale·(q + k))`. @default 'dot' */
  scoreMode?: 'dot' | 'concat';
}

/**
 * Dot-product (Luong-style) attention: `softmax(scores) · value` with `scores = query · keyᵀ`
 * (times the learned scalar `scale` with `useScale`), or the `'concat'` score. Weights: `scale`
 * (shape `[]`, ones) when `useScale`, `concat_score_weight` (shape `[]`, ones) for `'concat'`.
 *
 * @example
 * const y = new Attention().apply([query, value], { useCausalMask: true });
 */
export class Attention extends BaseDenseAttention {
  static override readonly className: string = 'Attention';
  readonly scoreMode: 'dot' | 'concat';
  scale?: LayerVariable;
  concatScoreWeight?: LayerVariable;

  constructor(args: AttentionArgs = {}) {
    const { useScale = false, scoreMode = 'dot', ...rest } = args;
    super({ ...rest, useScale });
    if (scoreMode !== 'dot' && scoreMode !== 'concat') {
      throw new ValueError(
        `${this.who}: expected scoreMode 'dot' or 'concat', received scoreMode=${JSON.stringify(scoreMode)}.`,
      );
    }
    this.scoreMode = scoreMode;
  }

  override build(_inputShape: Shape | Shape[]): void {
    if (this.useScale)
      this.scale = this.addWeight({ name: 'scale', shape: [], initializer: 'ones' });
    if (this.scoreMode === 'concat') {
      this.concatScoreWeight = this.addWeight({
        name: 'concat_score_weight',
        shape: [],
        initializer: 'ones',
      });
    }
    this.built = true;
  }

  protected scores(query: tf.Tensor, key: tf.Tensor): tf.Tensor {
    if (this.scoreMode === 'dot') {
      const dot = tf.matMul(query, key, false, true);
      return this.scale ? tf.mul(dot, this.scale.read()) : dot;
    }
    let sum = tf.add(tf.expandDims(query, -2), tf.expandDims(key, -3));
    if (this.scale) sum = tf.mul(sum, this.scale.read());
    return tf.mul((this.concatScoreWeight as LayerVariable).read(), tf.sum(tf.tanh(sum), -1));
  }

  override getConfig(): Config {
    const { use_scale, dropout, ...base } = super.getConfig();
    return {
      ...base,
      use_scale: use_scale ?? false,
      score_mode: this.scoreMode,
      dropout: dropout ?? 0,
    };
  }
}
registerKerasClass('keras.layers', Attention);
