import { Sampler, type SamplerArgs, topKIndices } from './sampler.js';

/** Picks the most probable token at each step (KerasHub `GreedySampler`); ties go to the lower id. */
export class GreedySampler extends Sampler {
  static override readonly className: string = 'GreedySampler';

  constructor(args: SamplerArgs = {}) {
    super(args);
  }

  protected nextToken(probabilities: Float32Array): number {
    return topKIndices(probabilities, 1)[0] as number;
  }
}
