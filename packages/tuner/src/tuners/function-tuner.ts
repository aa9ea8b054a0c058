import { ValueError } from '@cornu/core';
import {
  BaseTuner,
  type BaseTunerArgs,
  type TrialContext,
  type TrialResult,
} from '../engine/base-tuner.js';
import type { HyperParameters } from '../engine/hyperparameters.js';
import type { Trial } from '../engine/trial.js';
import { moduleHref, WorkerPool } from '../engine/worker-pool.js';

/** An objective: reads hyperparameters from `hp`, returns the objective value or a metrics record. */
export type ObjectiveFunction = (
  hp: HyperParameters,
  context: TrialContext,
) => Promise<TrialResult> | TrialResult;

/** Arguments of `FunctionTuner`: exactly one of `run` and `runModule`. */
export interface FunctionTunerArgs extends BaseTunerArgs {
  /** The objective, run in this thread (parallel trials interleave at its awaits). */
  run?: ObjectiveFunction;
  /**
   * An ES module (path or file URL) exporting the objective as `exportName`: each of the
   * `maxParallelTrials` worker threads imports it, so trials run truly in parallel.
   */
  runModule?: string | URL;
  /** @default 'run' */
  exportName?: string;
}

/**
 * Tunes any async objective, not only models (Keras Tuner's custom `run_trial`, as a class).
 *
 * @example
 * const tuner = new FunctionTuner({
 *   oracle: new BayesianOptimizationOracle({ objective: new Objective('score', 'min'), maxTrials: 30, seed: 1 }),
 *   run: async (hp) => branin(hp.Float('x1', -5, 10), hp.Float('x2', 0, 15)),
 * });
 * await tuner.search();
 * tuner.oracle.getBestTrials(1)[0].score;
 */
export class FunctionTuner extends BaseTuner<[]> {
  readonly run: ObjectiveFunction | undefined;
  readonly runModule: string | undefined;
  readonly exportName: string;
  #pool: WorkerPool | undefined;

  constructor(args: FunctionTunerArgs) {
    super(args);
    const { run, runModule, exportName = 'run' } = args;
    if ((run === undefined) === (runModule === undefined)) {
      throw new ValueError(
        `FunctionTuner: pass exactly one of run (a function) and runModule (a module path). Received: run=${typeof run}, runModule=${String(runModule)}.`,
      );
    }
    if (run !== undefined && typeof run !== 'function') {
      throw new ValueError(`FunctionTuner: run must be a function. Received: ${typeof run}.`);
    }
    this.run = run;
    this.exportName = exportName;
    this.runModule = runModule === undefined ? undefined : moduleHref(runModule);
  }

  protected override async onSearchBegin(): Promise<void> {
    if (this.runModule)
      this.#pool = new WorkerPool(this.maxParallelTrials, this.runModule, this.exportName);
  }

  protected override async onSearchEnd(): Promise<void> {
    await this.#pool?.close();
    this.#pool = undefined;
  }

  async runTrial(trial: Trial, context: TrialContext): Promise<TrialResult> {
    if (this.run) return this.run(trial.hyperparameters, context);
    return this.#pool!.runTrial(trial, context);
  }
}
