import { Oracle, type OracleArgs, type Population } from '../engine/oracle.js';

/**
 * Random search (Keras Tuner's `RandomSearchOracle`): each trial draws every active hyperparameter
 * from its prior, skipping values already tried; the search stops after `maxTrials`, or when 20
 * draws in a row repeat earlier values (the space is exhausted).
 */
export class RandomSearchOracle extends Oracle {
  constructor(args: OracleArgs = {}) {
    super(args);
  }

  protected populateSpace(_trialId: string, index: number): Population {
    const values = this.randomValues(this.rngFor(index));
    return values === null ? { status: 'STOPPED' } : { status: 'RUNNING', values };
  }
}
