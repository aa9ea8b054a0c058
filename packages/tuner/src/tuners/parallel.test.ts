import { describe, expect, it } from 'vitest';
import { run as parallelObjective } from '../../test-fixtures/parallel-objective.js';
import { Objective } from '../engine/objective.js';
import { RandomSearchOracle } from '../oracles/random-search-oracle.js';
import { FunctionTuner } from './function-tuner.js';

const score = new Objective('score', 'min');
const quiet = { verbose: false } as const;

describe('FunctionTuner: parallel trials in worker threads', () => {
  it('gives the same trials and results as a serial run', async () => {
    const make = (parallel: boolean) =>
      new FunctionTuner({
        oracle: new RandomSearchOracle({ objective: score, maxTrials: 4, seed: 3 }),
        ...quiet,
        maxParallelTrials: parallel ? 2 : 1,
        ...(parallel
          ? { runModule: new URL('../../test-fixtures/parallel-objective.ts', import.meta.url) }
          : { run: parallelObjective }),
      });
    const serial = make(false);
    await serial.search();
    const parallel = make(true);
    await parallel.search();
    const content = (tuner: FunctionTuner) =>
      [...tuner.oracle.trials.values()].map((t) => ({
        id: t.trialId,
        values: t.hyperparameters.values,
        score: t.score,
        steps: t.metrics.score,
        status: t.status,
      }));
    expect(content(parallel)).toEqual(content(serial));
    expect(parallel.oracle.hyperparameters.getConfig()).toEqual(
      serial.oracle.hyperparameters.getConfig(),
    );
    const threads = new Set(
      [...parallel.oracle.trials.values()].map((t) => t.metrics.thread![0]!.value),
    );
    expect(threads.size).toBeGreaterThan(1);
    expect(threads.has(0)).toBe(false);
  }, 30_000);
});
