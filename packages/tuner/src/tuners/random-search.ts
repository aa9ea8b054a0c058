import type { OracleArgs } from '../engine/oracle.js';
import { RandomSearchOracle } from '../oracles/random-search-oracle.js';
import { Tuner, type TunerArgs } from './tuner.js';

/** Arguments of `RandomSearch`: the tuner's and `RandomSearchOracle`'s. */
export interface RandomSearchArgs extends Omit<TunerArgs, 'oracle'>, OracleArgs {}

/**
 * Random search over a hypermodel (Keras Tuner's `RandomSearch`): a `Tuner` with a `RandomSearchOracle`.
 *
 * @example
 * const tuner = new RandomSearch({ hypermodel: (hp) => buildModel(hp), objective: 'val_accuracy', maxTrials: 20, seed: 1 });
 * await tuner.search(x, y, { epochs: 10, validationData: [xVal, yVal] });
 */
export class RandomSearch extends Tuner {
  constructor(args: RandomSearchArgs) {
    super({ ...args, oracle: new RandomSearchOracle(args) });
  }
}
