/**
 * The code a FunctionTuner worker thread runs (a separate build entry, so workers load only this
 * and the hyperparameters, not the whole package).
 */
import type { MessagePort } from 'node:worker_threads';
import { HyperParameters } from './engine/hyperparameters.js';
import type { FromWorker, ToWorker } from './engine/worker-pool.js';
import type { TrialContext, TrialResult } from './engine/base-tuner.js';

/** What a worker's objective sees: the trial context, without the Trial object itself. */
export type WorkerTrialContext = Omit<TrialContext, 'trial'> & { trialId: string; extra: unknown };

type Objective = (hp: HyperParameters, context: WorkerTrialContext) => Promise<TrialResult>;

export async function serveWorker(
  port: MessagePort,
  moduleUrl: string,
  exportName: string,
  setup?: unknown,
): Promise<void> {
  const module = (await import(moduleUrl)) as Record<string, unknown>;
  const exported = module[exportName];
  if (typeof exported !== 'function') {
    throw new Error(
      `${moduleUrl} has no exported function '${exportName}' (found: ${Object.keys(module).join(', ')})`,
    );
  }
  // With a setup, the export is a factory that prepares the objective once per worker.
  const run = setup === undefined ? exported : await exported(setup);
  let nextId = 0;
  const pending = new Map<number, (stop: boolean) => void>();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'report-reply') {
      pending.get(message.id)?.(message.stop);
      pending.delete(message.id);
      return;
    }
    const hp = HyperParameters.fromConfig(message.hp);
    const context = {
      trialId: message.trialId,
      trialDir: message.trialDir,
      resume: message.resume,
      extra: message.extra,
      report: (step: number, metrics: Record<string, number>, state?: unknown): Promise<boolean> =>
        new Promise<boolean>((resolve) => {
          const id = nextId++;
          pending.set(id, resolve);
          port.postMessage({
            type: 'report',
            id,
            trialId: message.trialId,
            step,
            metrics,
            state,
          } satisfies FromWorker);
        }),
    };
    (run as Objective)(hp, context).then(
      (result) =>
        port.postMessage({
          type: 'done',
          trialId: message.trialId,
          result,
          hp: hp.getConfig(),
        } satisfies FromWorker),
      (error: unknown) =>
        port.postMessage({
          type: 'error',
          trialId: message.trialId,
          message: error instanceof Error ? error.message : String(error),
          hp: hp.getConfig(),
        } satisfies FromWorker),
    );
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
