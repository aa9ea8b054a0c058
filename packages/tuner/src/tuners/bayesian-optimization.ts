import {
  BayesianOptimizationOracle,
  type BayesianOptimizationOracleArgs,
} from '../oracles/bayesian-optimization-oracle.js';
import { Tuner, type TunerArgs } from './tuner.js';

/** Arguments of `BayesianOptimization`: the tuner's and `BayesianOptimizationOracle`'s. */
export interface BayesianOptimizationArgs
  extends Omit<TunerArgs, 'oracle'>,
    BayesianOptimizationOracleArgs {}

/**
 * Bayesian optimization over a hypermodel (Keras Tuner's `BayesianOptimization`): a `Tuner` with a
 * `BayesianOptimizationOracle`.
 *
 * @example
 * const tuner = new BayesianOptimization({ hypermodel: (hp) => buildModel(hp), objective: 'val_accuracy', maxTrials: 20, seed: 1 });
 * await tuner.search(x, y, { epochs: 10, validationData: [xVal, yVal] });
 */
export class BayesianOptimization extends Tuner {
  constructor(args: BayesianOptimizationArgs) {
    super({ ...args, oracle: new BayesianOptimizationOracle(args) });
  }
}
