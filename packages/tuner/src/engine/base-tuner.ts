import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError, ValueError } from '@cornu/core';
import type { HyperParameters } from './hyperparameters.js';
import { writeJsonAtomic } from './io.js';
import type { Oracle } from './oracle.js';
import type { Trial } from './trial.js';

/** Where an interrupted trial stopped: the last step whose state was saved, and that state. */
export interface ResumePoint {
  step: number;
  state: unknown;
}

/** What a trial's run sees besides its hyperparameters. */
export interface TrialContext {
  readonly trial: Trial;
  /** The trial's folder (`<directory>/<projectName>/trial_<id>`), or undefined in memory. */
  readonly trialDir: string | undefined;
  /** Set when this trial was interrupted (a crash) and runs again: continue after `step`. */
  readonly resume: ResumePoint | undefined;
  /**
   * Reports one step's metrics (an epoch). `state`, when given, is saved (atomically, after the
   * metrics) as the point a crash later resumes from. Resolves to true when the oracle's pruner
   * stops the trial: return then.
   */
  report(step: number, metrics: Record<string, number>, state?: unknown): Promise<boolean>;
}

/** What a trial's run returns: the objective value, a metrics record, or nothing (all reported). */
export type TrialResult = number | Record<string, number> | undefined;

/** Arguments every tuner takes. */
export interface BaseTunerArgs {
  oracle: Oracle;
  /**
   * Folder of the projects. Without it the search lives in memory only (no resume).
   * @default undefined
   */
  directory?: string;
  /** @default 'untitled_project' */
  projectName?: string;
  /**
   * Start afresh, deleting `directory/projectName`; when false, an existing project is reloaded and
   * `search` goes on where it stopped.
   * @default false
   */
  overwrite?: boolean;
  /** Trials run at the same time. @default 1 */
  maxParallelTrials?: number;
  /** Where summaries and progress lines go. @default console.log */
  logger?: (line: string) => void;
  /** Log one line per finished trial. @default true */
  verbose?: boolean;
}

/**
 * The search loop shared by every tuner (Keras Tuner's `BaseTuner`): asks the oracle for trials,
 * runs up to `maxParallelTrials` at a time through `runTrial`, reports results, marks failures,
 * and persists everything under `directory/projectName` so that a killed search resumes without
 * losing or repeating a finished trial. Subclasses implement `runTrial`.
 */
export abstract class BaseTuner<SearchArgs extends unknown[] = unknown[]> {
  readonly oracle: Oracle;
  readonly projectDir: string | undefined;
  readonly maxParallelTrials: number;
  protected readonly logger: (line: string) => void;
  protected readonly verbose: boolean;
  readonly #checkpoints = new Map<string, ResumePoint>();

  constructor({
    oracle,
    directory,
    projectName = 'untitled_project',
    overwrite = false,
    maxParallelTrials = 1,
    logger = console.log,
    verbose = true,
  }: BaseTunerArgs) {
    const name = this.constructor.name;
    if (!oracle || typeof oracle.createTrial !== 'function') {
      throw new ValueError(
        `${name}: oracle must be an Oracle (RandomSearchOracle, ...). Received: ${String(oracle)}.`,
      );
    }
    if (!Number.isInteger(maxParallelTrials) || maxParallelTrials < 1) {
      throw new ValueError(
        `${name}: maxParallelTrials must be an integer >= 1. Received: ${maxParallelTrials}.`,
      );
    }
    this.oracle = oracle;
    this.maxParallelTrials = maxParallelTrials;
    this.logger = logger;
    this.verbose = verbose;
    this.projectDir = directory === undefined ? undefined : join(directory, projectName);
    if (this.projectDir) {
      if (overwrite) rmSync(this.projectDir, { recursive: true, force: true });
      this.oracle.setProjectDir(this.projectDir);
      this.oracle.reload();
    }
  }

  /** Runs one trial; report steps through `context.report` and/or return the final metrics. */
  abstract runTrial(trial: Trial, context: TrialContext, ...args: SearchArgs): Promise<TrialResult>;

  /** Called once before the first trial of a `search`. */
  protected async onSearchBegin(..._args: SearchArgs): Promise<void> {}
  /** Called once after the last trial of a `search` (also when it raises). */
  protected async onSearchEnd(): Promise<void> {}

  /**
   * Runs trials until the oracle stops (maxTrials reached, space exhausted, brackets done). Finished
   * trials from an earlier run of the same project are kept; interrupted ones resume first.
   */
  async search(...args: SearchArgs): Promise<void> {
    await this.onSearchBegin(...args);
    const running = new Map<string, Promise<void>>();
    let fatal: unknown;
    try {
      for (;;) {
        let idle = false;
        while (fatal === undefined && running.size < this.maxParallelTrials) {
          const trial = this.oracle.createTrial();
          if (trial.status === 'STOPPED') break;
          if (trial.status === 'IDLE') {
            idle = true;
            break;
          }
          const task = this.#runOne(trial, args)
            .catch((error: unknown) => {
              fatal ??= error;
            })
            .finally(() => running.delete(trial.trialId));
          running.set(trial.trialId, task);
        }
        if (running.size === 0) {
          if (idle && fatal === undefined) {
            throw new RuntimeError(
              `${this.constructor.name}: the oracle is waiting for trials to finish but none is running.`,
            );
          }
          break;
        }
        await Promise.race(running.values());
      }
    } finally {
      await Promise.allSettled(running.values());
      await this.onSearchEnd();
    }
    if (fatal !== undefined) throw fatal;
  }

  async #runOne(trial: Trial, args: SearchArgs): Promise<void> {
    const context = this.#context(trial);
    let result: TrialResult;
    try {
      result = await this.runTrial(trial, context, ...args);
    } catch (error) {
      this.oracle.updateSpace(trial.hyperparameters);
      const message = error instanceof Error ? error.message : String(error);
      this.oracle.endTrial(trial.trialId, 'FAILED', message);
      this.#log(trial, `failed: ${message}`);
      if (this.oracle.tooManyFailures) {
        throw new RuntimeError(
          `${this.constructor.name}: ${this.oracle.maxConsecutiveFailedTrials} consecutive trials failed; the last (trial ${trial.trialId}) with: ${message}`,
          { cause: error },
        );
      }
      return;
    }
    this.oracle.updateSpace(trial.hyperparameters);
    if (this.oracle.hyperparameters.space.length === 0) {
      throw new ValueError(
        `${this.constructor.name}: the search space is empty: trial ${trial.trialId} registered no hyperparameters. Call hp.Int/Float/Choice/Boolean in the hypermodel or objective, or pass hyperparameters to the oracle.`,
      );
    }
    if (result !== undefined) {
      const metrics =
        typeof result === 'number' ? { [this.oracle.objective.name]: result } : result;
      if (typeof metrics !== 'object' || metrics === null) {
        throw new ValueError(
          `${this.constructor.name}: runTrial must return a number, a record of metrics or nothing. Received: ${String(result)}.`,
        );
      }
      this.oracle.updateTrial(trial.trialId, metrics, Math.max(trial.lastStep, 0));
    }
    const ended = this.oracle.endTrial(trial.trialId, 'COMPLETED');
    this.#log(
      ended,
      ended.status === 'COMPLETED' ? `score ${ended.score}` : `failed: ${ended.message}`,
    );
    this.onTrialEnd(ended);
    if (this.oracle.tooManyFailures) {
      throw new RuntimeError(
        `${this.constructor.name}: ${this.oracle.maxConsecutiveFailedTrials} consecutive trials failed; the last (trial ${trial.trialId}): ${ended.message}`,
      );
    }
  }

  /** Called after each trial ends normally (the model tuner deletes its resume backup here). */
  protected onTrialEnd(_trial: Trial): void {}

  #log(trial: Trial, text: string): void {
    if (this.verbose) this.logger(`Trial ${trial.trialId} ${text}`);
  }

  /** The trial's folder, if the project is on disk. */
  protected trialDir(trial: Trial): string | undefined {
    return this.projectDir ? join(this.projectDir, `trial_${trial.trialId}`) : undefined;
  }

  #checkpointPath(trial: Trial): string | undefined {
    const dir = this.trialDir(trial);
    return dir ? join(dir, 'resume.json') : undefined;
  }

  #context(trial: Trial): TrialContext {
    const path = this.#checkpointPath(trial);
    let resume = this.#checkpoints.get(trial.trialId);
    if (!resume && path && existsSync(path))
      resume = JSON.parse(readFileSync(path, 'utf8')) as ResumePoint;
    if (trial.retries > 0 && trial.lastStep < 0) resume = undefined;
    const trialId = trial.trialId;
    return {
      trial,
      trialDir: this.trialDir(trial),
      resume,
      report: async (step, metrics, state) => {
        // Metrics first, then the resume point: a crash between the two re-runs this step and
        // replaces its metrics, so no reported step is ever missing.
        const stop = this.oracle.updateTrial(trialId, metrics, step) === 'STOPPED';
        if (state !== undefined) {
          const point = { step, state };
          this.#checkpoints.set(trialId, point);
          if (path) writeJsonAtomic(path, point);
        }
        return stop;
      },
    };
  }

  /** The hyperparameters of the best `numTrials` completed trials, best first. */
  getBestHyperparameters(numTrials = 1): HyperParameters[] {
    return this.oracle.getBestTrials(numTrials).map((t) => t.hyperparameters);
  }

  /** Prints the search space (Keras Tuner's `search_space_summary`). */
  searchSpaceSummary(): void {
    const space = this.oracle.hyperparameters.space;
    this.logger('Search space summary');
    this.logger(`Default search space size: ${space.length}`);
    for (const param of space) {
      const { class_name: kind, config } = param.getConfig();
      const { name, conditions, ...rest } = config;
      const conds =
        (conditions as unknown[]).length > 0 ? ` conditions=${JSON.stringify(conditions)}` : '';
      this.logger(`${String(name)} (${kind})${conds}`);
      this.logger(JSON.stringify(rest));
    }
  }

  /** Prints the best `numTrials` trials (Keras Tuner's `results_summary`). */
  resultsSummary(numTrials = 10): void {
    const best = this.oracle.getBestTrials(numTrials);
    this.logger('Results summary');
    if (this.projectDir) this.logger(`Results in ${this.projectDir}`);
    this.logger(`Showing ${best.length} best trials`);
    this.logger(
      `Objective(name="${this.oracle.objective.name}", direction="${this.oracle.objective.direction}")`,
    );
    for (const trial of best) {
      this.logger('');
      this.logger(`Trial ${trial.trialId} summary`);
      this.logger('Hyperparameters:');
      for (const [name, value] of Object.entries(trial.hyperparameters.activeValues())) {
        this.logger(`${name}: ${String(value)}`);
      }
      this.logger(`Score: ${trial.score}`);
    }
  }
}
