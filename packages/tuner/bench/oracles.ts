/**
 * Oracle quality benchmark: the median (over 20 seeds) of the best value each oracle finds in 30
 * trials on Branin (minimum 0.397887) and the 6-d Hartmann function (minimum -3.32237).
 * Run: `npx tsx bench/oracles.ts` in packages/tuner. Target: Bayesian and TPE within 0.05 of
 * Branin's minimum.
 */
import type { HyperParameters } from '../src/engine/hyperparameters.js';
import { Objective } from '../src/engine/objective.js';
import type { Oracle, OracleArgs } from '../src/engine/oracle.js';
import { BayesianOptimizationOracle } from '../src/oracles/bayesian-optimization-oracle.js';
import { RandomSearchOracle } from '../src/oracles/random-search-oracle.js';
import { TPEOracle } from '../src/oracles/tpe-oracle.js';
import { FunctionTuner } from '../src/tuners/function-tuner.js';
import { branin, hartmann6 } from './functions.js';

const TRIALS = 30;
const SEEDS = 20;

const problems: Record<string, { minimum: number; run: (hp: HyperParameters) => number }> = {
  branin: { minimum: 0.397887, run: (hp) => branin(hp.Float('x1', -5, 10), hp.Float('x2', 0, 15)) },
  hartmann6: {
    minimum: -3.32237,
    run: (hp) => hartmann6(Array.from({ length: 6 }, (_, i) => hp.Float(`x${i}`, 0, 1))),
  },
};

const oracles: Record<string, (args: OracleArgs) => Oracle> = {
  random: (args) => new RandomSearchOracle(args),
  bayesian: (args) => new BayesianOptimizationOracle(args),
  tpe: (args) => new TPEOracle(args),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const only = process.argv[2];
for (const [problemName, problem] of Object.entries(problems)) {
  for (const [oracleName, make] of Object.entries(oracles)) {
    if (only && only !== oracleName) continue;
    const start = performance.now();
    const best: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const oracle = make({ objective: new Objective('score', 'min'), maxTrials: TRIALS, seed });
      const tuner = new FunctionTuner({ oracle, run: problem.run, verbose: false });
      await tuner.search();
      best.push(oracle.getBestTrials(1)[0]!.score!);
    }
    const m = median(best);
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    console.log(
      `${problemName.padEnd(10)} ${oracleName.padEnd(9)} median best ${m.toFixed(6)}  gap ${(m - problem.minimum).toFixed(6)}  (${SEEDS} seeds x ${TRIALS} trials, ${seconds}s)`,
    );
  }
}
