import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import type { LayerArgs } from '../../engine/layer.js';
import { ValueError } from '../../errors/errors.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { type EncodingMode, encodeCategorical, encodedShape } from './category-encoding.js';
import { type HostArray, hostArrayToTensor, PreprocessingLayer, readHost } from './host-data.js';

/** Bucket index of `v`: the number of boundaries <= v (boundaries sorted ascending). */
export function bucketize(v: number, boundaries: readonly number[]): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((boundaries[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Arguments of {@link Discretization}. */
export interface DiscretizationArgs extends LayerArgs {
  /** Sorted bucket edges: bucket i holds `boundaries[i-1] <= x < boundaries[i]`. @default null */
  binBoundaries?: number[] | null;
  /** Number of buckets computed by `adapt` (quantiles of the data). @default null */
  numBins?: number | null;
  /** Keras's quantile-sketch error bound; kept for configs (adapt computes exact quantiles). @default 0.01 */
  epsilon?: number;
  /** @default 'int' */
  outputMode?: 'int' | EncodingMode;
  /** Not supported (no sparse tensors in TensorFlow.js). @default false */
  sparse?: boolean;
}

/**
 * Buckets continuous values by `binBoundaries` (or boundaries learned by `adapt(data)` as the
 * `i / numBins` quantiles of the data) and outputs bucket indices or their encodings.
 *
 * @example
 * ```ts
 * new Discretization({ binBoundaries: [0, 1, 2] }).apply(tf.tensor1d([-1.5, 0.5, 2.5])); // [0, 1, 3]
 * ```
 */
export class Discretization extends PreprocessingLayer {
  static override readonly className = 'Discretization';
  binBoundaries: number[] | null;
  readonly numBins: number | null;
  readonly epsilon: number;
  readonly outputMode: 'int' | EncodingMode;
  readonly sparse: boolean;

  constructor(args: DiscretizationArgs = {}) {
    super(args);
    const {
      binBoundaries = null,
      numBins = null,
      epsilon = 0.01,
      outputMode = 'int',
      sparse = false,
    } = args;
    if (binBoundaries !== null && numBins !== null && binBoundaries.length !== numBins - 1) {
      throw new ValueError(
        `${this.who}: num_bins must equal len(bin_boundaries) + 1. Received: num_bins=${numBins}, bin_boundaries=${JSON.stringify(binBoundaries)}.`,
      );
    }
    if (numBins !== null && (!Number.isInteger(numBins) || numBins < 1)) {
      throw new ValueError(
        `${this.who}: num_bins must be a positive integer. Received: num_bins=${numBins}.`,
      );
    }
    if (!['int', 'one_hot', 'multi_hot', 'count'].includes(outputMode)) {
      throw new ValueError(
        `${this.who}: unknown output_mode. Expected one of 'int', 'one_hot', 'multi_hot', 'count'. Received: output_mode=${String(outputMode)}.`,
      );
    }
    if (sparse)
      throw new ValueError(
        `${this.who}: sparse=true is not supported (TensorFlow.js has no sparse tensors).`,
      );
    if (binBoundaries) {
      for (let i = 1; i < binBoundaries.length; i++) {
        if ((binBoundaries[i] as number) < (binBoundaries[i - 1] as number)) {
          throw new ValueError(
            `${this.who}: bin_boundaries must be sorted. Received: bin_boundaries=${JSON.stringify(binBoundaries)}.`,
          );
        }
      }
    }
    this.binBoundaries = binBoundaries ? [...binBoundaries] : null;
    this.numBins = numBins;
    this.epsilon = epsilon;
    this.outputMode = outputMode;
    this.sparse = sparse;
  }

  protected outputDtype(): tf.DataType {
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  private depth(): number {
    return this.binBoundaries ? this.binBoundaries.length + 1 : (this.numBins ?? 1);
  }

  /** Learns `numBins - 1` boundaries: the `i / numBins` quantiles (sorted[floor(i * n / numBins)]). */
  adapt(data: tf.Tensor | HostArray): void {
    if (this.numBins === null) {
      throw new ValueError(
        `${this.who}: adapt needs num_bins. Fix: construct the layer with numBins.`,
      );
    }
    const x = data instanceof tf.Tensor ? data : hostArrayToTensor(data);
    try {
      const sorted = Float64Array.from(x.dataSync() as Float32Array).sort();
      if (sorted.length === 0) throw new ValueError(`${this.who}: adapt received no data.`);
      const n = sorted.length;
      this.binBoundaries = Array.from(
        { length: this.numBins - 1 },
        (_, i) => sorted[Math.floor(((i + 1) * n) / (this.numBins as number))] as number,
      );
    } finally {
      if (x !== data) x.dispose();
    }
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    const boundaries = this.binBoundaries;
    if (!boundaries) {
      throw new ValueError(
        `${this.who}: no bin boundaries. Fix: pass binBoundaries, or numBins and call adapt(data).`,
      );
    }
    const { values, shape } = readHost(inputs);
    const indices = Int32Array.from(values as number[], (v) => bucketize(v, boundaries));
    if (this.outputMode === 'int') return tf.tensor(indices, shape, 'int32');
    return encodeCategorical(indices, shape, this.outputMode, this.depth());
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return encodedShape(inputShape, this.outputMode, this.depth());
  }

  override getConfig(): Config {
    // Keras's Discretization writes only these keys, with dtype as a plain name.
    return {
      bin_boundaries: this.binBoundaries,
      num_bins: this.numBins,
      epsilon: this.epsilon,
      output_mode: this.outputMode,
      sparse: this.sparse,
      name: this.name,
      dtype: this.dtype,
    };
  }
}

registerKerasClass('keras.layers', Discretization);
