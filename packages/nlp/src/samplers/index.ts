export { type BeamSamplerArgs, BeamSampler, type BeamSearchResult } from './beam-sampler.js';
export { ContrastiveSampler, type ContrastiveSamplerArgs } from './contrastive-sampler.js';
export { getSampler, type SamplerDict, serializeSampler } from './get.js';
export { GreedySampler } from './greedy-sampler.js';
export { RandomSampler, type RandomSamplerArgs } from './random-sampler.js';
export {
  type NextFn,
  Sampler,
  type SamplerArgs,
  type SamplerCache,
  type SamplerCallArgs,
  type SamplerConfig,
} from './sampler.js';
export { TopKSampler, type TopKSamplerArgs } from './top-k-sampler.js';
export { TopPSampler, type TopPSamplerArgs } from './top-p-sampler.js';
