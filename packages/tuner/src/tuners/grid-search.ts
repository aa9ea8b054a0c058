import type { OracleArgs } from '../engine/oracle.js';
import { GridSearchOracle } from '../oracles/grid-search-oracle.js';
import { Tuner, type TunerArgs } from './tuner.js';

/** Arguments of `GridSearch`: the tuner's and `GridSearchOracle`'s. */
export interface GridSearchArgs extends Omit<TunerArgs, 'oracle'>, OracleArgs {}

/**
 * Grid search over a hypermodel (Keras Tuner's `GridSearch`): a `Tuner` with a `GridSearchOracle`.
 *
 * @example
 * const tuner = new GridSearch({ hypermodel: (hp) => buildModel(hp), objective: 'val_accuracy', seed: 1 });
 * await tuner.search(x, y, { epochs: 10, validationData: [xVal, yVal] });
 */
export class GridSearch extends Tuner {
  constructor(args: GridSearchArgs) {
    super({ ...args, oracle: new GridSearchOracle(args) });
  }
}
