import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTuner, STEPS } from '../../test-fixtures/resume-search.js';
import { HyperParameters } from '../engine/hyperparameters.js';
import { Objective } from '../engine/objective.js';
import { MedianPruner, SuccessiveHalvingPruner } from '../engine/pruners.js';
import { BayesianOptimizationOracle } from '../oracles/bayesian-optimization-oracle.js';
import { GridSearchOracle } from '../oracles/grid-search-oracle.js';
import { RandomSearchOracle } from '../oracles/random-search-oracle.js';
import { FunctionTuner } from './function-tuner.js';

const score = new Objective('score', 'min');
const quiet = { verbose: false } as const;
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cornu-tuner-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('FunctionTuner: bad input', () => {
  it('rejects an empty search space', async () => {
    const tuner = new FunctionTuner({
      oracle: new RandomSearchOracle({ objective: score, seed: 1 }),
      ...quiet,
      run: () => 1,
    });
    await expect(tuner.search()).rejects.toThrow(
      /the search space is empty: trial 00 registered no hyperparameters/,
    );
  });

  it('marks throwing trials failed, goes on, and stops after maxConsecutiveFailedTrials', async () => {
    const oracle = new GridSearchOracle({ objective: score, seed: 1 });
    const tuner = new FunctionTuner({
      oracle,
      ...quiet,
      run: (hp) => {
        const n = hp.Int('n', 0, 9);
        if (n === 2) throw new Error('two is bad');
        if (n >= 5) throw new Error(`too big: ${n}`);
        return n;
      },
    });
    await expect(tuner.search()).rejects.toThrow(
      /3 consecutive trials failed; the last \(trial 07\) with: too big: 7/,
    );
    const statuses = [...oracle.trials.values()].map((t) => t.status);
    expect(statuses).toEqual([
      'COMPLETED',
      'COMPLETED',
      'FAILED',
      'COMPLETED',
      'COMPLETED',
      'FAILED',
      'FAILED',
      'FAILED',
    ]);
    expect(oracle.getTrial('02').message).toBe('two is bad');
    expect(oracle.getBestTrials(1)[0]!.score).toBe(0);
  });

  it('marks a NaN objective failed', async () => {
    const oracle = new GridSearchOracle({ objective: score, seed: 1 });
    const tuner = new FunctionTuner({
      oracle,
      ...quiet,
      run: (hp) => (hp.Int('n', 0, 2) === 1 ? Number.NaN : 1),
    });
    await tuner.search();
    expect([...oracle.trials.values()].map((t) => t.status)).toEqual([
      'COMPLETED',
      'FAILED',
      'COMPLETED',
    ]);
    expect(oracle.getTrial('01').message).toMatch(
      /objective 'score' is NaN or infinite at every step/,
    );
  });

  it('rejects an objective name the run never reports', async () => {
    const tuner = new FunctionTuner({
      oracle: new RandomSearchOracle({ objective: 'val_loss', seed: 1 }),
      ...quiet,
      run: (hp) => ({ loss: hp.Float('x', 0, 1), accuracy: 0.5 }),
    });
    await expect(tuner.search()).rejects.toThrow(
      /Objective 'val_loss' is missing from the metrics trial 00 reported\. Expected: 'val_loss'\. Found: \["loss","accuracy"\]/,
    );
    expect(() => new RandomSearchOracle({ objective: 'zorp' })).toThrow(
      /cannot infer whether 'zorp' should be minimized/,
    );
  });

  it('retries a failed trial maxRetriesPerTrial times with the same values', async () => {
    const oracle = new RandomSearchOracle({
      objective: score,
      maxTrials: 2,
      seed: 1,
      maxRetriesPerTrial: 1,
    });
    const calls: number[] = [];
    const tuner = new FunctionTuner({
      oracle,
      ...quiet,
      run: (hp) => {
        const x = hp.Float('x', 0, 1);
        calls.push(x);
        if (calls.length === 2) throw new Error('flaky');
        return x;
      },
    });
    await tuner.search();
    expect(calls).toHaveLength(3);
    expect(calls[2]).toBe(calls[1]);
    expect(oracle.getTrial('01').status).toBe('COMPLETED');
    expect(oracle.getTrial('01').retries).toBe(1);
  });
});

describe('FunctionTuner: pruning', () => {
  // Trial i reports value (i % 4) + 1/(step + 1) at steps 0..8: every trial improves, and those
  // with i % 4 >= 2 stay worse than the median of the earlier ones.
  const curves = (pruner: MedianPruner | SuccessiveHalvingPruner) => {
    const space = new HyperParameters();
    space.Int('i', 0, 11);
    const oracle = new GridSearchOracle({
      objective: score,
      hyperparameters: space,
      seed: 1,
      pruner,
    });
    const stepsRun: Record<number, number> = {};
    const tuner = new FunctionTuner({
      oracle,
      ...quiet,
      run: async (hp, context) => {
        const i = hp.Int('i', 0, 11);
        for (let step = 0; step < 9; step++) {
          stepsRun[i] = step + 1;
          if (await context.report(step, { score: (i % 4) + 1 / (step + 1) })) return undefined;
        }
        return undefined;
      },
    });
    return { tuner, oracle, stepsRun };
  };

  it('MedianPruner stops trials worse than the median of completed trials at the same step', async () => {
    const { tuner, oracle, stepsRun } = curves(
      new MedianPruner({ nStartupTrials: 4, nWarmupSteps: 2 }),
    );
    await tuner.search();
    // Trials 0-3 run fully (startup). Median of {1, 2, 3, 4} + 1/3 at step 2 is 2.5 + 1/3: i % 4 in
    // {2, 3} is worse and stops at step 2 (3 steps run); i % 4 in {0, 1} runs all 9 steps.
    for (let i = 0; i < 12; i++) expect(stepsRun[i]).toBe(i < 4 || i % 4 < 2 ? 9 : 3);
    expect(oracle.getTrial('06').pruned).toBe(true);
    expect(oracle.getTrial('06').status).toBe('COMPLETED');
    expect(oracle.getTrial('06').score).toBeCloseTo(2 + 1 / 3, 12);
  });

  it('SuccessiveHalvingPruner keeps the best 1/factor at each rung', async () => {
    const { tuner, stepsRun } = curves(
      new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 3 }),
    );
    await tuner.search();
    // Rungs at 1, 3 and 9 steps. Trial 0 is alone at each rung and runs fully; trial 1 (worse than
    // trial 0 at rung 1, 2 values -> keep index 0) stops after 1 step; trial 4 ties trial 0 and goes on.
    expect(stepsRun[0]).toBe(9);
    expect(stepsRun[1]).toBe(1);
    expect(stepsRun[4]).toBe(9);
    expect(stepsRun[3]).toBe(1);
  });
});

describe('FunctionTuner: persistence and resume', () => {
  it('reloads a finished project without repeating trials and extends it', async () => {
    const directory = tempDir();
    const calls: string[] = [];
    const make = (maxTrials: number) =>
      new FunctionTuner({
        oracle: new RandomSearchOracle({ objective: score, maxTrials, seed: 11 }),
        directory,
        projectName: 'p',
        ...quiet,
        run: (hp, context) => {
          calls.push(context.trial.trialId);
          return hp.Float('x', 0, 1);
        },
      });
    await make(4).search();
    const again = make(6);
    expect(again.oracle.trials.size).toBe(4);
    await again.search();
    expect(calls).toEqual(['00', '01', '02', '03', '04', '05']);
    const reference = make(6);
    const fresh = new FunctionTuner({
      oracle: new RandomSearchOracle({ objective: score, maxTrials: 6, seed: 11 }),
      ...quiet,
      run: (hp) => hp.Float('x', 0, 1),
    });
    await fresh.search();
    expect([...reference.oracle.trials.values()].map((t) => t.hyperparameters.values)).toEqual(
      [...fresh.oracle.trials.values()].map((t) => t.hyperparameters.values),
    );
    expect(existsSync(join(directory, 'p', 'oracle.json'))).toBe(true);
    expect(existsSync(join(directory, 'p', 'trial_03', 'trial.json'))).toBe(true);
    const overwritten = new FunctionTuner({
      oracle: new RandomSearchOracle({ objective: score, maxTrials: 2, seed: 11 }),
      directory,
      projectName: 'p',
      overwrite: true,
      ...quiet,
      run: (hp) => hp.Float('x', 0, 1),
    });
    expect(overwritten.oracle.trials.size).toBe(0);
  });

  it('resumes after SIGKILL mid-trial: no finished trial lost or repeated, the interrupted one continues', async () => {
    const directory = tempDir();
    const log = join(directory, 'log.txt');
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    const script = new URL('../../test-fixtures/resume-search.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', tsx, script, directory, log], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Kill once trial 02 has saved the state of its step 1.
    const resumeFile = join(directory, 'resume', 'trial_02', 'resume.json');
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline) {
      if (existsSync(resumeFile) && JSON.parse(readFileSync(resumeFile, 'utf8')).step >= 1) break;
      await sleep(10);
    }
    child.kill('SIGKILL');
    await exited;
    const killedAt = JSON.parse(readFileSync(resumeFile, 'utf8')).step as number;
    expect(killedAt).toBeGreaterThanOrEqual(1);
    expect(killedAt).toBeLessThan(STEPS - 1);

    const resumed = makeTuner(directory, log, 5);
    expect(resumed.oracle.getTrial('02').status).toBe('RUNNING');
    await resumed.search();

    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const starts = lines.filter((l) => l.startsWith('start'));
    expect(starts).toEqual([
      'start 00 0',
      'start 01 0',
      'start 02 0',
      `start 02 ${killedAt + 1}`,
      'start 03 0',
      'start 04 0',
    ]);
    expect(lines.filter((l) => l.startsWith('done'))).toEqual([
      'done 00',
      'done 01',
      'done 02',
      'done 03',
      'done 04',
    ]);

    const reference = makeTuner(undefined, undefined, 0);
    await reference.search();
    for (const trial of resumed.oracle.trials.values()) {
      const x = trial.hyperparameters.values.x as number;
      expect(trial.status).toBe('COMPLETED');
      expect(trial.hyperparameters.values).toEqual(
        reference.oracle.getTrial(trial.trialId).hyperparameters.values,
      );
      expect(trial.metrics.score!.map((o) => o.step)).toEqual([0, 1, 2, 3, 4]);
      // the accumulated state survived the kill: acc = STEPS * x at the last step
      expect(trial.metrics.acc![STEPS - 1]!.value).toBeCloseTo(STEPS * x, 12);
      expect(trial.score).toBeCloseTo(x, 12);
    }
  }, 30_000);
});

describe('FunctionTuner: README example', () => {
  it('runs the Branin objective of the README with Bayesian optimization', async () => {
    const branin = (x1: number, x2: number) =>
      (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 +
      10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) +
      10;
    const tuner = new FunctionTuner({
      oracle: new BayesianOptimizationOracle({
        objective: new Objective('score', 'min'),
        maxTrials: 15,
        seed: 1,
      }),
      ...quiet,
      run: async (hp) => branin(hp.Float('x1', -5, 10), hp.Float('x2', 0, 15)),
    });
    await tuner.search();
    const [best] = tuner.oracle.getBestTrials(1);
    expect(best!.score).toBeCloseTo(
      branin(best!.hyperparameters.values.x1 as number, best!.hyperparameters.values.x2 as number),
      12,
    );
    expect(best!.score!).toBeLessThan(5);
  });
});
