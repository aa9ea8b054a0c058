/** The objective of the parallel test, loaded by each worker thread (and directly for the serial run). */
import { setTimeout as sleep } from 'node:timers/promises';
import { threadId } from 'node:worker_threads';
import type { HyperParameters } from '../src/engine/hyperparameters.js';
import type { TrialContext } from '../src/engine/base-tuner.js';

export async function run(
  hp: HyperParameters,
  context: Pick<TrialContext, 'report'>,
): Promise<Record<string, number>> {
  const a = hp.Int('a', 0, 100);
  const b = hp.Float('b', -1, 1);
  const kind = hp.Choice('kind', ['x', 'y']);
  await sleep(150);
  const score = (a - 30) ** 2 / 100 + b * b + (kind === 'y' ? 1 : 0);
  await context.report(0, { score: score + 1 });
  return { score, thread: threadId };
}
