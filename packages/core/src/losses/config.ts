import type { LossArgs, LossConfig, Reduction } from './loss.js';

/** The base arguments read back from a Keras loss config. */
export function lossArgs(config: LossConfig): LossArgs {
  return {
    name: typeof config.name === 'string' ? config.name : undefined,
    reduction: config.reduction === undefined ? undefined : (config.reduction as Reduction),
  };
}

/** A config value, or undefined when absent or null (so constructor defaults apply). */
export function opt<T>(config: LossConfig, key: string): T | undefined {
  const v = config[key];
  return v == null ? undefined : (v as T);
}
