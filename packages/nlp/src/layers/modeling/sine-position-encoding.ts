import { Layer, type LayerArgs, type Shape, saving, tf, ValueError } from '@cornu/core';
import type { PositionCallArgs } from './position-embedding.js';
import type { Config } from './transformer-layer-utils.js';

/** Arguments of `new SinePositionEncoding(...)`. */
export interface SinePositionEncodingArgs extends LayerArgs {
  /** Longest wavelength of the sinusoids. @default 10000 */
  maxWavelength?: number;
}

/**
 * The fixed sinusoidal position encoding of "Attention Is All You Need" (KerasHub's
 * `SinePositionEncoding`): for inputs `[batch, seq, dim]`, position `p` and feature `i`,
 * `sin(p / maxWavelength^(2⌊i/2⌋/dim))` on even `i` and `cos(...)` on odd `i`, broadcast to the
 * input shape. No weights.
 *
 * @example
 * const encoded = tf.add(embeddings, new SinePositionEncoding().apply(embeddings));
 */
export class SinePositionEncoding extends Layer {
  static override readonly className: string = 'SinePositionEncoding';
  readonly maxWavelength: number;

  constructor(args: SinePositionEncodingArgs = {}) {
    const { maxWavelength = 10000, ...layerArgs } = args;
    super(layerArgs);
    if (!(maxWavelength > 0))
      throw new ValueError(
        `${this.who}: maxWavelength must be positive. Received: maxWavelength=${maxWavelength}.`,
      );
    this.maxWavelength = maxWavelength;
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    { startIndex = 0 }: PositionCallArgs = {},
  ): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (x.rank < 2)
      throw new ValueError(
        `${this.who}: expected inputs of rank >= 2 ([..., sequence, features]), received shape [${x.shape.join(', ')}].`,
      );
    const sequence = x.shape.at(-2) as number;
    const hidden = x.shape.at(-1) as number;
    const values = new Float32Array(sequence * hidden);
    for (let p = 0; p < sequence; p++) {
      for (let i = 0; i < hidden; i++) {
        const angle = (p + startIndex) * this.maxWavelength ** (-(2 * Math.floor(i / 2)) / hidden);
        values[p * hidden + i] = i % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    return tf.broadcastTo(tf.tensor2d(values, [sequence, hidden]), x.shape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), max_wavelength: this.maxWavelength };
  }
}
saving.registerSerializable('keras_hub')(SinePositionEncoding);
