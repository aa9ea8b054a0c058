import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { branin } from '../../bench/functions.js';
import { HyperParameters } from '../engine/hyperparameters.js';
import { Objective } from '../engine/objective.js';
import { FunctionTuner } from '../tuners/function-tuner.js';
import { BayesianOptimizationOracle } from './bayesian-optimization-oracle.js';
import { GaussianProcess } from './gaussian-process.js';
import { GridSearchOracle } from './grid-search-oracle.js';
import { HyperbandOracle } from './hyperband-oracle.js';
import { RandomSearchOracle } from './random-search-oracle.js';
import { TPEOracle } from './tpe-oracle.js';
import { createRng } from '../engine/random.js';

const score = new Objective('score', 'min');
const quiet = { verbose: false } as const;

describe('RandomSearchOracle', () => {
  it('is reproducible from its seed, stays in range and never repeats', async () => {
    const runOnce = async (seed: number) => {
      const oracle = new RandomSearchOracle({ objective: score, maxTrials: 12, seed });
      const tuner = new FunctionTuner({
        oracle,
        ...quiet,
        run: (hp) => hp.Int('a', 0, 4) + hp.Float('b', 0.001, 1, { sampling: 'log' }),
      });
      await tuner.search();
      return [...oracle.trials.values()].map((t) => t.hyperparameters.values);
    };
    const first = await runOnce(5);
    expect(await runOnce(5)).toEqual(first);
    expect(await runOnce(6)).not.toEqual(first);
    expect(first).toHaveLength(12);
    for (const v of first) {
      expect(v.a).toBeGreaterThanOrEqual(0);
      expect(v.a).toBeLessThanOrEqual(4);
      expect(v.b).toBeGreaterThanOrEqual(0.001);
      expect(v.b).toBeLessThanOrEqual(1);
    }
    expect(new Set(first.map((v) => JSON.stringify(v))).size).toBe(12);
  });

  it('stops when a discrete space is exhausted', async () => {
    const oracle = new RandomSearchOracle({ objective: score, maxTrials: 50, seed: 1 });
    const tuner = new FunctionTuner({ oracle, ...quiet, run: (hp) => hp.Choice('c', [1, 2, 3]) });
    await tuner.search();
    expect(oracle.trials.size).toBe(3);
    expect([...oracle.trials.values()].map((t) => t.hyperparameters.values.c).sort()).toEqual([
      1, 2, 3,
    ]);
    expect(oracle.getBestTrials(1)[0]!.score).toBe(1);
  });
});

describe('GridSearchOracle', () => {
  it('walks the grid in order, last hyperparameter fastest, skipping inactive duplicates', async () => {
    const space = new HyperParameters();
    space.Int('n', 1, 3);
    space.Choice('kind', ['a', 'b']);
    space.conditionalScope('kind', ['b'], () => space.Boolean('flag'));
    const oracle = new GridSearchOracle({ objective: score, hyperparameters: space, seed: 1 });
    const tuner = new FunctionTuner({
      oracle,
      ...quiet,
      run: (hp) => hp.Int('n', 1, 3) * 10 + (hp.Choice('kind', ['a', 'b']) === 'b' ? 1 : 0),
    });
    await tuner.search();
    const seen = [...oracle.trials.values()].map((t) => {
      const v = t.hyperparameters.activeValues();
      return `${v.n}${v.kind}${v.flag === undefined ? '' : v.flag ? 'T' : 'F'}`;
    });
    expect(seen).toEqual(['1a', '1bF', '1bT', '2a', '2bF', '2bT', '3a', '3bF', '3bT']);
    expect(oracle.getBestTrials(1)[0]!.score).toBe(10);
  });
});

describe('HyperbandOracle', () => {
  it('runs the brackets of Li et al. with maxEpochs 9, factor 3', () => {
    const oracle = new HyperbandOracle({ objective: score, maxEpochs: 9, factor: 3, seed: 1 });
    expect(oracle.numBrackets).toBe(3);
    // bracket 2: 9 trials x 1 epoch, 3 x 3, 1 x 9; bracket 1: 5 x 3, 2 x 9; bracket 0: 3 x 9.
    expect([0, 1, 2].map((r) => [oracle.getSize(2, r), oracle.getEpochs(2, r)])).toEqual([
      [9, 1],
      [3, 3],
      [1, 9],
    ]);
    expect([0, 1].map((r) => [oracle.getSize(1, r), oracle.getEpochs(1, r)])).toEqual([
      [5, 3],
      [2, 9],
    ]);
    expect([oracle.getSize(0, 0), oracle.getEpochs(0, 0)]).toEqual([3, 9]);
  });

  it('promotes the best trials with their warm-start id and epochs', async () => {
    const oracle = new HyperbandOracle({ objective: score, maxEpochs: 9, factor: 3, seed: 2 });
    const runs: { x: number; epochs: number; initial: number; from: unknown }[] = [];
    const tuner = new FunctionTuner({
      oracle,
      ...quiet,
      run: (hp) => {
        const x = hp.Float('x', 0, 1);
        runs.push({
          x,
          epochs: hp.values['tuner/epochs'] as number,
          initial: hp.values['tuner/initial_epoch'] as number,
          from: hp.values['tuner/trial_id'],
        });
        return x / (hp.values['tuner/epochs'] as number);
      },
    });
    await tuner.search();
    expect(runs).toHaveLength(9 + 3 + 1 + 5 + 2 + 3);
    expect(runs.map((r) => r.epochs)).toEqual([
      ...Array(9).fill(1),
      3,
      3,
      3,
      9,
      3,
      3,
      3,
      3,
      3,
      9,
      9,
      9,
      9,
      9,
    ]);
    // round 1 of bracket 2 continues the three smallest x of round 0, best first
    const round0 = runs.slice(0, 9).map((r) => r.x);
    const best3 = [...round0].sort((a, b) => a - b).slice(0, 3);
    expect(runs.slice(9, 12).map((r) => r.x)).toEqual(best3);
    expect(runs[9]!.from).toBe([...oracle.trials.values()][round0.indexOf(best3[0]!)]!.trialId);
    expect(runs[9]!.initial).toBe(1);
    expect(runs[12]!.x).toBe(best3[0]);
    expect(runs[12]!.initial).toBe(3);
  });
});

describe('BayesianOptimizationOracle', () => {
  it('the Gaussian process interpolates its observations and widens away from them', () => {
    const gp = new GaussianProcess(1, 1e-8);
    const x = [[0.1], [0.4], [0.7], [0.9]];
    const y = x.map(([v]) => Math.sin(6 * v!));
    gp.fit(x, y, createRng(1));
    const { mean, std } = gp.predict([...x, [0.25]]);
    for (let i = 0; i < 4; i++) expect(mean[i]).toBeCloseTo(y[i]!, 3);
    expect(std[4]!).toBeGreaterThan(10 * Math.max(...std.slice(0, 4)));
  });

  it('matches a numpy/scipy reference posterior for fixed kernel parameters', () => {
    const ref = JSON.parse(
      readFileSync(new URL('../../test-fixtures/gp-reference.json', import.meta.url), 'utf8'),
    ) as {
      x: number[][];
      y: number[];
      test: number[][];
      params: { lengthScales: number[]; amplitude: number; noise: number };
      mean: number[];
      std: number[];
    };
    const gp = new GaussianProcess(2);
    gp.fit(ref.x, ref.y, createRng(1), ref.params);
    const { mean, std } = gp.predict(ref.test);
    for (let i = 0; i < ref.test.length; i++) {
      expect(mean[i]).toBeCloseTo(ref.mean[i]!, 8);
      expect(std[i]).toBeCloseTo(ref.std[i]!, 8);
    }
  });

  it('finds Branin near its minimum 0.397887 in 30 trials', async () => {
    const oracle = new BayesianOptimizationOracle({ objective: score, maxTrials: 30, seed: 1 });
    const tuner = new FunctionTuner({
      oracle,
      ...quiet,
      run: (hp) => branin(hp.Float('x1', -5, 10), hp.Float('x2', 0, 15)),
    });
    await tuner.search();
    expect(oracle.getBestTrials(1)[0]!.score!).toBeLessThan(0.5);
  });
});

describe('TPEOracle', () => {
  it('beats random search on Branin over 5 seeds (median best)', async () => {
    const median = async (make: (seed: number) => RandomSearchOracle | TPEOracle) => {
      const best: number[] = [];
      for (let seed = 1; seed <= 5; seed++) {
        const oracle = make(seed);
        const tuner = new FunctionTuner({
          oracle,
          ...quiet,
          run: (hp) => branin(hp.Float('x1', -5, 10), hp.Float('x2', 0, 15)),
        });
        await tuner.search();
        best.push(oracle.getBestTrials(1)[0]!.score!);
      }
      return best.sort((a, b) => a - b)[2]!;
    };
    const tpe = await median((seed) => new TPEOracle({ objective: score, maxTrials: 40, seed }));
    const random = await median(
      (seed) => new RandomSearchOracle({ objective: score, maxTrials: 40, seed }),
    );
    expect(tpe).toBeLessThan(random);
  });

  it('handles unordered choices as categories', async () => {
    const oracle = new TPEOracle({ objective: score, maxTrials: 30, seed: 3, nStartupTrials: 8 });
    const costs: Record<string, number> = { a: 3, b: 0, c: 2, d: 5 };
    const tuner = new FunctionTuner({
      oracle,
      ...quiet,
      run: (hp) => costs[hp.Choice('k', ['a', 'b', 'c', 'd'])]! + hp.Float('x', 0, 1),
    });
    await tuner.search();
    const late = [...oracle.trials.values()].slice(15).map((t) => t.hyperparameters.values.k);
    expect(late.filter((k) => k === 'b').length).toBeGreaterThan(late.length / 2);
  });
});
