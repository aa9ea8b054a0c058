import { ValueError } from '../errors/errors.js';
import { Adam, type AdamArgs } from './adam.js';
import type { OptimizerConfig } from './optimizer.js';

export interface AdamWArgs extends AdamArgs {
  /** Decoupled weight decay. @default 0.004 */
  weightDecay?: number;
}

/** Adam with decoupled weight decay (Keras `AdamW`). */
export class AdamW extends Adam {
  static override readonly className: string = 'AdamW';

  constructor({ weightDecay = 0.004, ...rest }: AdamWArgs = {}) {
    if (weightDecay == null) {
      throw new ValueError(
        'AdamW: weightDecay must be a number, received null. Fix: use Adam for no weight decay.',
      );
    }
    super({ ...rest, weightDecay });
  }

  static override fromConfig(config: OptimizerConfig): AdamW {
    const args = Adam.adamArgs(config);
    return new AdamW({ ...args, weightDecay: args.weightDecay ?? undefined });
  }
}
