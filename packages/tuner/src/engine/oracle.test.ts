import { describe, expect, it } from 'vitest';
import { BayesianOptimizationOracle } from '../oracles/bayesian-optimization-oracle.js';
import { GridSearchOracle } from '../oracles/grid-search-oracle.js';
import { HyperbandOracle } from '../oracles/hyperband-oracle.js';
import { RandomSearchOracle } from '../oracles/random-search-oracle.js';
import { TPEOracle } from '../oracles/tpe-oracle.js';
import { HyperParameters } from './hyperparameters.js';
import { Objective } from './objective.js';
import type { Oracle, OracleArgs, OracleState } from './oracle.js';

const space = (): HyperParameters => {
  const hp = new HyperParameters();
  hp.Float('x', 0, 1);
  hp.Int('n', 1, 4);
  hp.Choice('kind', ['a', 'b']);
  return hp;
};

/** Runs trials by hand until the oracle stops or `limit` trials ran; returns the values tried. */
function drive(oracle: Oracle, limit: number): string[] {
  const seen: string[] = [];
  for (let i = 0; i < limit; i++) {
    const trial = oracle.createTrial();
    if (trial.status !== 'RUNNING') break;
    const v = trial.hyperparameters.values;
    const value = ((v.x as number) - 0.3) ** 2 + (v.n as number) / 10 + (v.kind === 'b' ? 0.05 : 0);
    oracle.updateTrial(trial.trialId, { score: value }, 0);
    oracle.endTrial(trial.trialId, 'COMPLETED');
    seen.push(JSON.stringify(v));
  }
  return seen;
}

const makers: Record<string, (args: OracleArgs) => Oracle> = {
  random: (a) => new RandomSearchOracle(a),
  grid: (a) => new GridSearchOracle(a),
  hyperband: (a) => new HyperbandOracle({ ...a, maxEpochs: 9, factor: 3 }),
  bayesian: (a) => new BayesianOptimizationOracle({ ...a, numInitialPoints: 4 }),
  tpe: (a) => new TPEOracle({ ...a, nStartupTrials: 4 }),
};

describe('Oracle state', () => {
  for (const [name, make] of Object.entries(makers)) {
    it(`${name}: a state saved mid-search continues exactly like the original`, () => {
      const args = {
        objective: new Objective('score', 'min'),
        maxTrials: 14,
        seed: 3,
        hyperparameters: space(),
      };
      const original = make(args);
      const head = drive(original, 7);
      const state = JSON.parse(JSON.stringify(original.getState())) as OracleState;
      const restored = make(args);
      restored.setState(state);
      expect(restored.getState()).toEqual(state);
      const tail = drive(original, 7);
      expect(drive(restored, 7)).toEqual(tail);
      // every oracle but Hyperband (whose promotions rerun values) never repeats values
      if (name !== 'hyperband')
        expect(new Set([...head, ...tail]).size).toBe(head.length + tail.length);
    });
  }

  it('refuses the state of another oracle or objective', () => {
    const state = new RandomSearchOracle({ objective: 'loss', seed: 1 }).getState();
    expect(() => new TPEOracle({ objective: 'loss' }).setState(state)).toThrow(
      /holds the state of a RandomSearchOracle/,
    );
    expect(() => new RandomSearchOracle({ objective: 'val_loss' }).setState(state)).toThrow(
      /searched for 'loss', not 'val_loss'/,
    );
  });
});

describe('Objective', () => {
  it('infers the direction of Keras metric names', () => {
    expect(Objective.from('val_accuracy').direction).toBe('max');
    expect(Objective.from('auc').direction).toBe('max');
    expect(Objective.from('val_loss').direction).toBe('min');
    expect(Objective.from('mean_absolute_error').direction).toBe('min');
    expect(() => Objective.from('zorp')).toThrow(/Pass new Objective\('zorp', 'min'\)/);
    expect(() => new Objective('x', 'up' as 'min')).toThrow(
      /direction must be 'min' or 'max'. Received: up/,
    );
    const max = new Objective('acc', 'max');
    expect(max.better(0.9, 0.8)).toBe(true);
    expect(max.better(Number.NaN, 0.1)).toBe(false);
  });
});
