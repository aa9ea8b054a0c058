import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import type { CallArgs, LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { PreprocessingLayer, readHost } from './host-data.js';

/** How integer indices become vectors. */
export type EncodingMode = 'one_hot' | 'multi_hot' | 'count';

/**
 * Keras's `encode_categorical_inputs` on host data. `indices` is row-major with `shape`; entries
 * equal to -1 are dropped (a lookup's mask). one_hot appends a `depth` axis (replacing a trailing
 * axis of size 1); multi_hot and count treat the last axis as the sample axis and replace it with
 * `depth` (a rank-1 input is one sample). `weights` (same layout) turn count into weighted sums.
 */
export function encodeCategorical(
  indices: ArrayLike<number>,
  shape: number[],
  mode: EncodingMode,
  depth: number,
  weights?: ArrayLike<number>,
): tf.Tensor {
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i] as number;
    if (v !== -1 && (v < 0 || v >= depth || !Number.isInteger(v))) {
      throw new ValueError(
        `Input values must be integers in the range [0, ${depth}) (num_tokens). Received: ${v}.`,
      );
    }
  }
  if (mode === 'one_hot') {
    const outShape =
      shape.length > 1 && shape[shape.length - 1] === 1 ? shape.slice(0, -1) : [...shape];
    const out = new Float32Array(indices.length * depth);
    for (let i = 0; i < indices.length; i++) {
      const v = indices[i] as number;
      if (v >= 0) out[i * depth + v] = 1;
    }
    return tf.tensor(out, [...outShape, depth], 'float32');
  }
  const sample = shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
  const outer = shape.length <= 1 ? [] : shape.slice(0, -1);
  const rows = sample === 0 ? 0 : indices.length / sample;
  const out = new Float32Array(Math.max(rows, outer.length === 0 ? 1 : 0) * depth);
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i] as number;
    if (v < 0) continue;
    const row = Math.floor(i / sample);
    const w = weights ? (weights[i] as number) : 1;
    if (mode === 'multi_hot') out[row * depth + v] = 1;
    else out[row * depth + v] = (out[row * depth + v] as number) + w;
  }
  return tf.tensor(out, [...outer, depth], 'float32');
}

/** Output shape of {@link encodeCategorical} for a (possibly symbolic) input shape. */
export function encodedShape(
  shape: (number | null)[],
  mode: EncodingMode | 'int',
  depth: number,
): (number | null)[] {
  if (mode === 'int') return [...shape];
  if (mode === 'one_hot') {
    const base =
      shape.length > 1 && shape[shape.length - 1] === 1 ? shape.slice(0, -1) : [...shape];
    return [...base, depth];
  }
  return [...shape.slice(0, -1), depth];
}

/** Arguments of {@link CategoryEncoding}. */
export interface CategoryEncodingArgs extends LayerArgs {
  /** Number of categories; inputs must lie in [0, numTokens). */
  numTokens: number;
  /** @default 'multi_hot' */
  outputMode?: EncodingMode;
  /** Sparse outputs are not available (TensorFlow.js has no sparse tensors). @default false */
  sparse?: boolean;
}

/**
 * Encodes integer category indices as one-hot, multi-hot or count vectors of length `numTokens`.
 * `apply(x, { countWeights })` weights each entry in count mode.
 *
 * @example
 * ```ts
 * new CategoryEncoding({ numTokens: 4 }).apply(tf.tensor2d([[0, 1], [3, 3]], undefined, 'int32'));
 * // [[1, 1, 0, 0], [0, 0, 0, 1]]
 * ```
 */
export class CategoryEncoding extends PreprocessingLayer {
  static override readonly className = 'CategoryEncoding';
  readonly numTokens: number;
  readonly outputMode: EncodingMode;
  readonly sparse: boolean;

  constructor(args: CategoryEncodingArgs) {
    super(args);
    const { numTokens, outputMode = 'multi_hot', sparse = false } = args;
    if (!Number.isInteger(numTokens) || numTokens < 1) {
      throw new ValueError(
        `${this.who}: num_tokens must be a positive integer. Received: num_tokens=${numTokens}.`,
      );
    }
    if (!['one_hot', 'multi_hot', 'count'].includes(outputMode)) {
      throw new ValueError(
        `${this.who}: unknown output_mode. Expected one of 'one_hot', 'multi_hot', 'count'. Received: output_mode=${String(outputMode)}.`,
      );
    }
    if (sparse)
      throw new ValueError(
        `${this.who}: sparse=true is not supported (TensorFlow.js has no sparse tensors).`,
      );
    this.numTokens = numTokens;
    this.outputMode = outputMode;
    this.sparse = sparse;
  }

  protected outputDtype(): tf.DataType {
    return 'float32';
  }

  override call(inputs: tf.Tensor, args: CallArgs): tf.Tensor {
    const { values, shape } = readHost(inputs);
    const countWeights = (args as CallArgs & { countWeights?: tf.Tensor }).countWeights;
    const weights = countWeights ? (countWeights.dataSync() as Float32Array) : undefined;
    return encodeCategorical(values as number[], shape, this.outputMode, this.numTokens, weights);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return encodedShape(inputShape, this.outputMode, this.numTokens);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      num_tokens: this.numTokens,
      // Keras's CategoryEncoding config has no `sparse` key (only false is accepted here anyway).
      output_mode: this.outputMode,
    };
  }
}

registerKerasClass('keras.layers', CategoryEncoding);
