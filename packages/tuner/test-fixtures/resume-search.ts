/**
 * A slow-ish FunctionTuner search used by the SIGKILL resume test: run as a script it searches in
 * `argv[2]` and appends one line per trial start/finish to `argv[3]`.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { FunctionTuner } from '../src/tuners/function-tuner.js';
import { RandomSearchOracle } from '../src/oracles/random-search-oracle.js';
import { Objective } from '../src/engine/objective.js';

export const STEPS = 5;

export function makeTuner(
  directory: string | undefined,
  log: string | undefined,
  stepMs = 80,
): FunctionTuner {
  return new FunctionTuner({
    oracle: new RandomSearchOracle({
      objective: new Objective('score', 'min'),
      maxTrials: 5,
      seed: 7,
    }),
    directory,
    projectName: 'resume',
    verbose: false,
    run: async (hp, context) => {
      const x = hp.Float('x', 0, 1);
      const start = context.resume ? context.resume.step + 1 : 0;
      let acc = (context.resume?.state as { acc: number } | undefined)?.acc ?? 0;
      if (log) appendFileSync(log, `start ${context.trial.trialId} ${start}\n`);
      for (let step = start; step < STEPS; step++) {
        await sleep(stepMs);
        acc += x;
        await context.report(step, { score: x * (STEPS - step), acc }, { acc });
      }
      if (log) appendFileSync(log, `done ${context.trial.trialId}\n`);
      return undefined;
    },
  });
}

if (process.argv[2] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  await makeTuner(process.argv[2], process.argv[3]).search();
}
