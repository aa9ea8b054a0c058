import { Layer, type LayerArgs, type Shape, saving, tf, ValueError } from '@cornu/core';
import type { Config } from './transformer-layer-utils.js';

/** Arguments of `new AlibiBias(...)`. */
export interface AlibiBiasArgs extends LayerArgs {
  /** The geometric sequence of head slopes is `2^(-alibiBiasMax/n), 2^(-2·alibiBiasMax/n), ...`. @default 8 */
  alibiBiasMax?: number;
}

/**
 * Attention with Linear Biases (ALiBi, Press et al. 2022; KerasHub's `AlibiBias`): adds
 * `slope_h * (j - (keyLength - 1))` to the attention scores `[batch, heads, queryLength, keyLength]`
 * of head `h`. For `n` heads (a power of two) the slopes are `2^(-alibiBiasMax·k/n)`, `k = 1..n`;
 * other head counts interleave the slopes of the next power of two, as in the paper's code.
 * No weights.
 *
 * @example
 * const biased = new AlibiBias().apply(attentionScores);
 */
export class AlibiBias extends Layer {
  static override readonly className: string = 'AlibiBias';
  readonly alibiBiasMax: number;

  constructor(args: AlibiBiasArgs = {}) {
    const { alibiBiasMax = 8, ...layerArgs } = args;
    super(layerArgs);
    if (!(alibiBiasMax > 0))
      throw new ValueError(
        `${this.who}: alibiBiasMax must be positive. Received: alibiBiasMax=${alibiBiasMax}.`,
      );
    this.alibiBiasMax = alibiBiasMax;
  }

  /** The per-head slopes for `numHeads` heads. */
  slopes(numHeads: number): number[] {
    const powerOfTwo = (n: number): number[] => {
      const start = 2 ** -(2 ** -(Math.log2(n) - Math.log2(this.alibiBiasMax)));
      return Array.from({ length: n }, (_, i) => start * start ** i);
    };
    if (Number.isInteger(Math.log2(numHeads))) return powerOfTwo(numHeads);
    const closest = 2 ** Math.floor(Math.log2(numHeads));
    const extra = this.slopes(2 * closest).filter((_, i) => i % 2 === 0);
    return [...powerOfTwo(closest), ...extra.slice(0, numHeads - closest)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const scores = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (scores.rank !== 4) {
      throw new ValueError(
        `${this.who}: expected attention scores [batch, heads, queryLength, keyLength], received shape [${scores.shape.join(', ')}].`,
      );
    }
    const numHeads = scores.shape[1] as number;
    const keyLength = scores.shape[3] as number;
    const slopes = this.slopes(numHeads);
    const bias = new Float32Array(numHeads * keyLength);
    slopes.forEach((slope, h) => {
      for (let j = 0; j < keyLength; j++) bias[h * keyLength + j] = slope * (j - (keyLength - 1));
    });
    return tf.add(scores, tf.tensor4d(bias, [1, numHeads, 1, keyLength]));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), alibi_bias_max: this.alibiBiasMax };
  }
}
saving.registerSerializable('keras_hub')(AlibiBias);
