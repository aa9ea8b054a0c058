import {
  type CallArgs,
  Layer,
  type LayerArgs,
  type Shape,
  saving,
  tf,
  ValueError,
} from '@cornu/core';
import type { Config } from './transformer-layer-utils.js';

/** Arguments of `new RotaryEmbedding(...)`. */
export interface RotaryEmbeddingArgs extends LayerArgs {
  /** Longest wavelength of the rotations. @default 10000 */
  maxWavelength?: number;
  /** Positions are divided by this factor (linear position interpolation). @default 1 */
  scalingFactor?: number;
  /** Axis of the sequence in the inputs. @default 1 */
  sequenceAxis?: number;
  /** Axis of the rotated features in the inputs. @default -1 */
  featureAxis?: number;
}

/** Call arguments of `RotaryEmbedding`. */
export interface RotaryEmbeddingCallArgs extends CallArgs {
  /** Position of the first step. @default 0 */
  startIndex?: number;
  /** Explicit positions `[seq]` or `[batch, seq]` (overrides `startIndex`). @default null */
  positions?: tf.Tensor | null;
}

/**
 * Rotary position embedding (RoPE, Su et al. 2021; KerasHub's `RotaryEmbedding`). Feature `i` of
 * the first half and feature `i + d/2` of the second half are rotated together by the angle
 * `position / scalingFactor * maxWavelength^(-2i/d)`:
 * `out = x * cos(θ) + concat(-x2, x1) * sin(θ)`. Usually applied to attention queries and keys
 * `[batch, seq, heads, headDim]`. No weights.
 *
 * @example
 * const rotated = new RotaryEmbedding().apply(query); // query [batch, seq, heads, headDim]
 */
export class RotaryEmbedding extends Layer {
  static override readonly className: string = 'RotaryEmbedding';
  readonly maxWavelength: number;
  readonly scalingFactor: number;
  readonly sequenceAxis: number;
  readonly featureAxis: number;

  constructor(args: RotaryEmbeddingArgs = {}) {
    const {
      maxWavelength = 10000,
      scalingFactor = 1,
      sequenceAxis = 1,
      featureAxis = -1,
      ...layerArgs
    } = args;
    super(layerArgs);
    if (!(maxWavelength > 0))
      throw new ValueError(
        `${this.who}: maxWavelength must be positive. Received: maxWavelength=${maxWavelength}.`,
      );
    if (!(scalingFactor > 0))
      throw new ValueError(
        `${this.who}: scalingFactor must be positive. Received: scalingFactor=${scalingFactor}.`,
      );
    this.maxWavelength = maxWavelength;
    this.scalingFactor = scalingFactor;
    this.sequenceAxis = sequenceAxis;
    this.featureAxis = featureAxis;
  }

  /** The permutation moving the sequence axis to 1 and the feature axis last. */
  private permutation(rank: number, shape: number[]): number[] {
    const seq = this.sequenceAxis < 0 ? this.sequenceAxis + rank : this.sequenceAxis;
    const feat = this.featureAxis < 0 ? this.featureAxis + rank : this.featureAxis;
    if (
      seq < 0 ||
      seq >= rank ||
      feat < 0 ||
      feat >= rank ||
      seq === feat ||
      seq === 0 ||
      feat === 0
    ) {
      throw new ValueError(
        `${this.who}: sequenceAxis=${this.sequenceAxis} and featureAxis=${this.featureAxis} must be distinct non-batch axes of the input, received shape [${shape.join(', ')}].`,
      );
    }
    const others = Array.from({ length: rank }, (_, i) => i).filter((a) => a !== seq && a !== feat);
    const perm = new Array<number>(rank);
    perm[1] = seq;
    perm[rank - 1] = feat;
    let next = 0;
    for (let position = 0; position < rank; position++) {
      if (position === 1 || position === rank - 1) continue;
      perm[position] = others[next++] as number;
    }
    return perm;
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    { startIndex = 0, positions = null }: RotaryEmbeddingCallArgs = {},
  ): tf.Tensor {
    const input = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const rank = input.rank;
    if (rank < 3)
      throw new ValueError(
        `${this.who}: expected inputs of rank >= 3 ([batch, sequence, ..., features]), received shape [${input.shape.join(', ')}].`,
      );
    const perm = this.permutation(rank, input.shape);
    const identity = perm.every((a, i) => a === i);
    const x = identity ? input : tf.transpose(input, perm);
    const sequence = x.shape[1] as number;
    const dim = x.shape[rank - 1] as number;
    if (dim % 2 !== 0)
      throw new ValueError(
        `${this.who}: the rotated feature size must be even, received ${dim} (input shape [${input.shape.join(', ')}]).`,
      );
    const half = dim / 2;
    const inverseFrequency = new Float32Array(half);
    for (let i = 0; i < half; i++) inverseFrequency[i] = 1 / this.maxWavelength ** ((2 * i) / dim);
    let pos: tf.Tensor;
    if (positions) {
      if (positions.rank !== 1 && positions.rank !== 2) {
        throw new ValueError(
          `${this.who}: positions must have shape [sequence] or [batch, sequence], received shape [${positions.shape.join(', ')}].`,
        );
      }
      pos = tf.cast(positions, 'float32');
    } else {
      pos = tf.add(tf.range(0, sequence, 1, 'float32'), startIndex);
    }
    const frequencies = tf.mul(
      tf.expandDims(tf.div(pos, this.scalingFactor), -1),
      tf.tensor1d(inverseFrequency),
    );
    let angles = tf.concat([frequencies, frequencies], -1); // [seq, dim] or [batch, seq, dim]
    if (angles.rank === 2) angles = tf.expandDims(angles, 0);
    angles = tf.reshape(angles, [
      angles.shape[0] as number,
      sequence,
      ...Array.from({ length: rank - 3 }, () => 1),
      dim,
    ]);
    const [x1, x2] = tf.split(x, 2, -1) as [tf.Tensor, tf.Tensor];
    const rotated = tf.concat([tf.neg(x2), x1], -1);
    const out = tf.add(tf.mul(x, tf.cos(angles)), tf.mul(rotated, tf.sin(angles)));
    if (identity) return out;
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(out, inverse);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      max_wavelength: this.maxWavelength,
      scaling_factor: this.scalingFactor,
      sequence_axis: this.sequenceAxis,
      feature_axis: this.featureAxis,
    };
  }
}
saving.registerSerializable('keras_hub')(RotaryEmbedding);
