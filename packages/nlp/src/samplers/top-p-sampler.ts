import { ValueError } from '@cornu/core';
import {
  drawIndex,
  Sampler,
  type SamplerArgs,
  type SamplerConfig,
  seededRng,
  topKIndices,
} from './sampler.js';

export interface TopPSamplerArgs extends SamplerArgs {
  /** Cumulative probability of the most probable tokens kept (nucleus). @default 0.1 */
  p?: number;
  /** Only the `k` most probable tokens are considered first (a speed-up). @default null (all) */
  k?: number | null;
  /** Seed of the sampler's random stream. @default a fresh seed from core's `utils.nextSeed()` */
  seed?: number;
}

/**
 * Nucleus sampling (KerasHub `TopPSampler`): sorts the tokens by probability and keeps each one
 * whose preceding cumulative probability is below `p` (so the token crossing `p` is kept), then
 * draws from them. Seeded.
 */
export class TopPSampler extends Sampler {
  static override readonly className: string = 'TopPSampler';
  readonly p: number;
  readonly k: number | null;
  readonly seed: number;
  private readonly rng: () => number;

  constructor(args: TopPSamplerArgs = {}) {
    super(args);
    const { p = 0.1, k = null } = args;
    if (!(typeof p === 'number' && p > 0 && p <= 1)) {
      throw new ValueError(`${this.who}: p must be in (0, 1]. Received: p=${p}.`);
    }
    if (k !== null && (!Number.isInteger(k) || k < 1)) {
      throw new ValueError(`${this.who}: k must be a positive integer or null. Received: k=${k}.`);
    }
    this.p = p;
    this.k = k;
    const { seed, rng } = seededRng(args.seed);
    this.seed = seed;
    this.rng = rng;
  }

  protected nextToken(probabilities: Float32Array): number {
    const sorted = topKIndices(
      probabilities,
      Math.min(this.k ?? probabilities.length, probabilities.length),
    );
    const kept: number[] = [];
    let cumulative = 0;
    for (const i of sorted) {
      if (cumulative >= this.p) break;
      kept.push(i);
      cumulative += probabilities[i] as number;
    }
    return kept[
      drawIndex(
        kept.map((i) => probabilities[i] as number),
        this.rng,
      )
    ] as number;
  }

  override getConfig(): SamplerConfig {
    return { ...super.getConfig(), p: this.p, k: this.k, seed: this.seed };
  }
}
