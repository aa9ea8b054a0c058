import { drawIndex, Sampler, type SamplerArgs, type SamplerConfig, seededRng } from './sampler.js';

export interface RandomSamplerArgs extends SamplerArgs {
  /** Seed of the sampler's random stream. @default a fresh seed from core's `utils.nextSeed()` */
  seed?: number;
}

/** Draws each token from the whole distribution (KerasHub `RandomSampler`). Seeded. */
export class RandomSampler extends Sampler {
  static override readonly className: string = 'RandomSampler';
  readonly seed: number;
  private readonly rng: () => number;

  constructor(args: RandomSamplerArgs = {}) {
    super(args);
    const { seed, rng } = seededRng(args.seed);
    this.seed = seed;
    this.rng = rng;
  }

  protected nextToken(probabilities: Float32Array): number {
    return drawIndex(probabilities, this.rng);
  }

  override getConfig(): SamplerConfig {
    return { ...super.getConfig(), seed: this.seed };
  }
}
