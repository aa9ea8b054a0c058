import { ValueError } from '@cornu/core';
import { BeamSampler } from './beam-sampler.js';
import { ContrastiveSampler } from './contrastive-sampler.js';
import { GreedySampler } from './greedy-sampler.js';
import { RandomSampler } from './random-sampler.js';
import type { Sampler, SamplerConfig } from './sampler.js';
import { TopKSampler } from './top-k-sampler.js';
import { TopPSampler } from './top-p-sampler.js';

type SamplerClass = {
  readonly className: string;
  fromConfig(config: SamplerConfig): Sampler;
};

const byName: Record<string, SamplerClass> = {
  greedy: GreedySampler,
  top_k: TopKSampler,
  top_p: TopPSampler,
  random: RandomSampler,
  beam: BeamSampler,
  contrastive: ContrastiveSampler,
};

/** A sampler's Keras dict: `{ class_name, config }`. */
export interface SamplerDict {
  class_name: string;
  config: SamplerConfig;
}

/** Serializes a sampler to `{ class_name, config }` (KerasHub `samplers.serialize`). */
export function serializeSampler(sampler: Sampler): SamplerDict {
  return {
    class_name: (sampler.constructor as unknown as SamplerClass).className,
    config: sampler.getConfig(),
  };
}

/**
 * A sampler from a KerasHub name (`'greedy'`, `'top_k'`, `'top_p'`, `'random'`, `'beam'`,
 * `'contrastive'`, with default arguments), a `{ class_name, config }` dict, or a sampler (returned
 * as is) - KerasHub `samplers.get`.
 */
export function getSampler(identifier: string | SamplerDict | Sampler): Sampler {
  if (typeof identifier === 'string') {
    const cls = byName[identifier];
    if (!cls) {
      throw new ValueError(
        `getSampler: unknown sampler ${JSON.stringify(identifier)}; expected one of ${Object.keys(
          byName,
        )
          .map((k) => `'${k}'`)
          .join(', ')}.`,
      );
    }
    return cls.fromConfig({});
  }
  if (identifier !== null && typeof identifier === 'object' && 'class_name' in identifier) {
    const cls = Object.values(byName).find((c) => c.className === identifier.class_name);
    if (!cls) {
      throw new ValueError(
        `getSampler: unknown sampler class ${JSON.stringify(identifier.class_name)}; expected one of ${Object.values(
          byName,
        )
          .map((c) => c.className)
          .join(', ')}.`,
      );
    }
    return cls.fromConfig(identifier.config ?? {});
  }
  return identifier as Sampler;
}
