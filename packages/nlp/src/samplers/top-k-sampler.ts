import { ValueError } from '@cornu/core';
import {
  drawIndex,
  Sampler,
  type SamplerArgs,
  type SamplerConfig,
  seededRng,
  topKIndices,
} from './sampler.js';

export interface TopKSamplerArgs extends SamplerArgs {
  /** Number of most probable tokens to draw from. @default 5 */
  k?: number;
  /** Seed of the sampler's random stream. @default a fresh seed from core's `utils.nextSeed()` */
  seed?: number;
}

/** Draws each token from the `k` most probable ones, renormalised (KerasHub `TopKSampler`). Seeded. */
export class TopKSampler extends Sampler {
  static override readonly className: string = 'TopKSampler';
  readonly k: number;
  readonly seed: number;
  private readonly rng: () => number;

  constructor(args: TopKSamplerArgs = {}) {
    super(args);
    const { k = 5 } = args;
    if (!Number.isInteger(k) || k < 1) {
      throw new ValueError(`${this.who}: k must be a positive integer. Received: k=${k}.`);
    }
    this.k = k;
    const { seed, rng } = seededRng(args.seed);
    this.seed = seed;
    this.rng = rng;
  }

  protected nextToken(probabilities: Float32Array): number {
    const top = topKIndices(probabilities, Math.min(this.k, probabilities.length));
    return top[
      drawIndex(
        top.map((i) => probabilities[i] as number),
        this.rng,
      )
    ] as number;
  }

  override getConfig(): SamplerConfig {
    return { ...super.getConfig(), k: this.k, seed: this.seed };
  }
}
