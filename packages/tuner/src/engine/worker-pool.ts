import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RuntimeError } from '@cornu/core';
import type { ResumePoint, TrialContext, TrialResult } from './base-tuner.js';
import { HyperParameters, type HyperParametersConfig } from './hyperparameters.js';
import type { Trial } from './trial.js';

/** A module given as a path or URL, as the file URL `import()` and worker threads take. */
export function moduleHref(pathOrUrl: string | URL): string {
  if (pathOrUrl instanceof URL) return pathOrUrl.href;
  return pathOrUrl.startsWith('file:') ? pathOrUrl : pathToFileURL(pathOrUrl).href;
}

/** Messages between the pool and its worker threads. */
export type ToWorker =
  | {
      type: 'run';
      trialId: string;
      hp: HyperParametersConfig;
      resume: ResumePoint | undefined;
      trialDir: string | undefined;
      /** Anything else the worker's objective needs about this trial (model tuners: progress so far). */
      extra?: unknown;
    }
  | { type: 'report-reply'; id: number; stop: boolean };

export type FromWorker =
  | { type: 'ready' }
  | {
      type: 'report';
      id: number;
      trialId: string;
      step: number;
      metrics: Record<string, number>;
      state: unknown;
    }
  | { type: 'done'; trialId: string; result: TrialResult; hp: HyperParametersConfig }
  | { type: 'error'; trialId: string; message: string; hp: HyperParametersConfig };

/** What one worker run gives back. */
export interface WorkerRunResult {
  result: TrialResult;
  hp: HyperParametersConfig;
}

const BOOTSTRAP = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  for (const url of workerData.registers) (await import(url)).register();
  const host = await import(workerData.hostUrl);
  await host.serveWorker(parentPort, workerData.moduleUrl, workerData.exportName, workerData.setup);
})().catch((error) => { parentPort.postMessage({ type: 'fatal', message: String(error && error.stack || error) }); });
`;

/** The module that serves trials inside a worker: dist/worker.js, or src/worker.ts under a TS loader. */
function hostModule(): { hostUrl: string; registers: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const tsx = createRequire(here).resolve('tsx/esm/api');
    return {
      hostUrl: new URL('../worker.ts', here).href,
      registers: [pathToFileURL(tsx.replace(/\.cjs$/, '.mjs')).href],
    };
  }
  return { hostUrl: new URL('./worker.js', here).href, registers: [] };
}

interface Slot {
  worker: Worker;
  busy: boolean;
  ready: Promise<void>;
}

/**
 * Worker threads that run a module's objective, `size` at a time. Each thread imports the module
 * once; trials are sent as hyperparameter configs, and per-step reports come back to the parent
 * (which owns the oracle) and are answered with the pruning decision.
 */
export class WorkerPool {
  readonly #slots: Slot[] = [];
  readonly #waiting: ((slot: Slot) => void)[] = [];

  /**
   * With `setup`, the module's export is a factory: each worker calls `await factory(setup)` once
   * and runs trials with the objective it returns (`setup` goes through structured clone).
   */
  constructor(size: number, moduleUrl: string, exportName: string, setup?: unknown) {
    const { hostUrl, registers } = hostModule();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(BOOTSTRAP, {
        eval: true,
        workerData: { hostUrl, registers, moduleUrl, exportName, setup },
      });
      const ready = new Promise<void>((resolve, reject) => {
        const onMessage = (message: { type: string; message?: string }): void => {
          if (message.type === 'ready') {
            worker.off('message', onMessage);
            resolve();
          } else if (message.type === 'fatal') {
            reject(
              new RuntimeError(
                `Tuner worker thread could not load ${moduleUrl}: ${message.message}`,
              ),
            );
          }
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
      });
      ready.catch(() => {});
      this.#slots.push({ worker, busy: false, ready });
    }
  }

  async #acquire(): Promise<Slot> {
    const free = this.#slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return free;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(slot: Slot): void {
    const next = this.#waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  /** Runs one trial on a free worker. */
  async run(
    message: Extract<ToWorker, { type: 'run' }>,
    report: (step: number, metrics: Record<string, number>, state: unknown) => Promise<boolean>,
  ): Promise<WorkerRunResult> {
    const slot = await this.#acquire();
    try {
      await slot.ready;
      return await new Promise<WorkerRunResult>((resolve, reject) => {
        const onMessage = (msg: FromWorker): void => {
          if (msg.type === 'report') {
            report(msg.step, msg.metrics, msg.state).then(
              (stop) =>
                slot.worker.postMessage({
                  type: 'report-reply',
                  id: msg.id,
                  stop,
                } satisfies ToWorker),
              (error: unknown) => {
                cleanup();
                reject(error);
              },
            );
          } else if (msg.type === 'done') {
            cleanup();
            resolve({ result: msg.result, hp: msg.hp });
          } else if (msg.type === 'error') {
            cleanup();
            reject(Object.assign(new Error(msg.message), { hp: msg.hp }));
          }
        };
        const onError = (error: Error): void => {
          cleanup();
          reject(error);
        };
        const cleanup = (): void => {
          slot.worker.off('message', onMessage);
          slot.worker.off('error', onError);
        };
        slot.worker.on('message', onMessage);
        slot.worker.once('error', onError);
        slot.worker.postMessage(message);
      });
    } finally {
      this.#release(slot);
    }
  }

  /**
   * Runs `trial` on a free worker: sends its hyperparameters (and `extra`), relays the reports to
   * `context.report`, and takes back the hyperparameters the worker's build registered (also
   * when the trial fails), so the oracle sees the space the trial really had.
   */
  async runTrial(trial: Trial, context: TrialContext, extra?: unknown): Promise<TrialResult> {
    try {
      const { result, hp } = await this.run(
        {
          type: 'run',
          trialId: trial.trialId,
          hp: trial.hyperparameters.getConfig(),
          resume: context.resume,
          trialDir: context.trialDir,
          extra,
        },
        context.report,
      );
      trial.hyperparameters = HyperParameters.fromConfig(hp);
      return result;
    } catch (error) {
      const hp = (error as { hp?: HyperParametersConfig }).hp;
      if (hp) trial.hyperparameters = HyperParameters.fromConfig(hp);
      throw error;
    }
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
