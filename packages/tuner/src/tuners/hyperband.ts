import { HyperbandOracle, type HyperbandOracleArgs } from '../oracles/hyperband-oracle.js';
import { Tuner, type TunerArgs } from './tuner.js';

/** Arguments of `Hyperband`: the tuner's and `HyperbandOracle`'s. */
export interface HyperbandArgs extends Omit<TunerArgs, 'oracle'>, HyperbandOracleArgs {}

/**
 * Hyperband over a hypermodel (Keras Tuner's `Hyperband`): a `Tuner` with a `HyperbandOracle`; promoted trials
 * continue from the checkpoint of the trial they extend (`tuner/trial_id`) for `tuner/epochs` epochs.
 *
 * @example
 * const tuner = new Hyperband({ hypermodel: (hp) => buildModel(hp), objective: 'val_accuracy', maxEpochs: 27, factor: 3, seed: 1 });
 * await tuner.search(x, y, { epochs: 10, validationData: [xVal, yVal] });
 */
export class Hyperband extends Tuner {
  constructor(args: HyperbandArgs) {
    super({ ...args, oracle: new HyperbandOracle(args) });
  }
}
