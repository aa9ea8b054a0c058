import { saving, tf, ValueError } from '@cornu/core';
import {
  type AugmentationInputs,
  type AugmentationOutputs,
  type BaseImageAugmentationLayerArgs,
  BaseImageAugmentationLayer,
  type Config,
  refuseArguments,
} from '../base-image-augmentation-layer.js';
import { sampleBeta, sampleDirichlet } from '../distributions.js';
import { operationPool } from './operation-pool.js';

/** Arguments of {@link AugMix}. */
export interface AugMixArgs extends BaseImageAugmentationLayerArgs {
  /** @default [0, 255] */
  valueRange?: [number, number];
  /** Strength of the operations, in [0, 1]. @default 0.3 */
  severity?: number;
  /** Number of augmentation chains mixed. @default 3 */
  numChains?: number;
  /** Operations per chain, drawn from [lower, upper]. @default [1, 3] */
  chainDepth?: [number, number];
  /** Concentration of the Dirichlet chain weights and of the Beta skip weight. @default 1 */
  alpha?: number;
}

interface MixDraw {
  /** per image, per chain: operation indices */
  chains: number[][][];
  /** per image: chain weights (sum 1) */
  weights: number[][];
  /** per image: weight of the original image */
  skip: number[];
}

/**
 * AugMix (Hendrycks et al., 2020): each image is mixed with `numChains` augmented copies (random
 * chains of operations, Dirichlet weights), then with itself (Beta weight). The mix blends
 * geometric changes, so boxes and masks are not supported.
 */
export class AugMix extends BaseImageAugmentationLayer<MixDraw> {
  static override readonly className = 'AugMix';
  readonly valueRange: [number, number];
  readonly severity: number;
  readonly numChains: number;
  readonly chainDepth: [number, number];
  readonly alpha: number;
  readonly operations: BaseImageAugmentationLayer[];

  constructor(args: AugMixArgs = {}) {
    super(args);
    refuseArguments(
      args,
      this.who,
      ['factor', 'allOps', 'interpolation'],
      "KerasCV's severity, numChains, chainDepth and alpha",
    );
    const {
      valueRange = [0, 255],
      severity = 0.3,
      numChains = 3,
      chainDepth = [1, 3],
      alpha = 1,
    } = args;
    if (!(severity >= 0 && severity <= 1))
      throw new ValueError(
        `${this.who}: severity must be in [0, 1]. Received: severity=${severity}.`,
      );
    if (!Number.isInteger(numChains) || numChains < 1)
      throw new ValueError(
        `${this.who}: numChains must be a positive integer. Received: numChains=${numChains}.`,
      );
    if (
      !(
        Number.isInteger(chainDepth[0]) &&
        Number.isInteger(chainDepth[1]) &&
        chainDepth[0] >= 1 &&
        chainDepth[0] <= chainDepth[1]
      )
    ) {
      throw new ValueError(
        `${this.who}: chainDepth must be [lower, upper] integers with 1 <= lower <= upper. Received: chainDepth=${JSON.stringify(chainDepth)}.`,
      );
    }
    if (!(alpha > 0))
      throw new ValueError(`${this.who}: alpha must be positive. Received: alpha=${alpha}.`);
    this.valueRange = [valueRange[0], valueRange[1]];
    this.severity = severity;
    this.numChains = numChains;
    this.chainDepth = [chainDepth[0], chainDepth[1]];
    this.alpha = alpha;
    this.operations = operationPool({
      magnitude: severity,
      spread: 0,
      valueRange: this.valueRange,
      geometric: true,
      seed: this.seed,
    });
  }

  protected override sampleParameters(batch: number): MixDraw {
    const [lo, hi] = this.chainDepth;
    const draw: MixDraw = { chains: [], weights: [], skip: [] };
    for (let b = 0; b < batch; b++) {
      draw.weights.push(sampleDirichlet(this.stream, this.alpha, this.numChains));
      draw.skip.push(sampleBeta(this.stream, this.alpha, this.alpha));
      draw.chains.push(
        Array.from({ length: this.numChains }, () => {
          const depth = lo + Math.floor(this.uniform() * (hi - lo + 1));
          return Array.from({ length: depth }, () =>
            Math.floor(this.uniform() * this.operations.length),
          );
        }),
      );
    }
    return draw;
  }

  protected override augmentImages(images: tf.Tensor4D, draw: MixDraw): tf.Tensor4D {
    const rows = tf.unstack(images).map((image, b) => {
      const x = tf.expandDims(image, 0) as tf.Tensor4D;
      let mix: tf.Tensor = tf.zerosLike(x);
      (draw.chains[b] as number[][]).forEach((chain, c) => {
        let y: tf.Tensor = x;
        for (const op of chain)
          y = (this.operations[op] as BaseImageAugmentationLayer).augment(
            { images: y },
            { training: true },
          ).images;
        mix = tf.add(mix, tf.mul(y, (draw.weights[b] as number[])[c] as number));
      });
      const m = draw.skip[b] as number;
      return tf.add(tf.mul(x, m), tf.mul(mix, 1 - m));
    });
    return tf.concat(rows) as tf.Tensor4D;
  }

  override augment(
    inputs: AugmentationInputs,
    args: { training?: boolean } = {},
  ): AugmentationOutputs {
    if (inputs.boxes || inputs.segmentationMasks) {
      throw new ValueError(
        `${this.who}: boxes and segmentation masks are not supported (the mix blends geometric changes).`,
      );
    }
    return super.augment(inputs, args);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      value_range: this.valueRange,
      severity: this.severity,
      num_chains: this.numChains,
      chain_depth: this.chainDepth,
      alpha: this.alpha,
    };
  }
}

saving.registerSerializable('keras.layers')(AugMix);
