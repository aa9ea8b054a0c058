import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError, ValueError } from '@cornu/core';
import {
  type HyperParameter,
  HyperParameters,
  type HyperParametersConfig,
  type HyperParameterValue,
} from './hyperparameters.js';
import { readJson, writeJsonAtomic } from './io.js';
import { Objective } from './objective.js';
import type { Pruner } from './pruners.js';
import { createRng, defaultSeed, type Rng } from './random.js';
import { Trial, type TrialConfig, type TrialStatus } from './trial.js';

/** Arguments every oracle takes. */
export interface OracleArgs {
  /**
   * The metric to optimize: a Keras metric name (direction inferred) or an Objective.
   * @default 'val_loss'
   */
  objective?: string | Objective;
  /**
   * How many trials to create at most (retries of a failed trial do not count).
   * @default 10 (Hyperband: unbounded, its brackets decide)
   */
  maxTrials?: number;
  /** A space to start from (values there act as defaults). */
  hyperparameters?: HyperParameters;
  /** Whether the hypermodel may register hyperparameters absent from `hyperparameters`. @default true */
  allowNewEntries?: boolean;
  /** Whether such new hyperparameters are searched (else they keep their defaults). @default true */
  tuneNewEntries?: boolean;
  /** Seed of every random choice. @default a per-process value */
  seed?: number;
  /** Times a failed trial is run again before the oracle moves on. @default 0 */
  maxRetriesPerTrial?: number;
  /** Consecutive failed trials after which the search raises. @default 3 */
  maxConsecutiveFailedTrials?: number;
  /** Stops bad trials mid-training (MedianPruner, SuccessiveHalvingPruner). */
  pruner?: Pruner;
}

/** What `populateSpace` decides for a new trial. */
export type Population =
  | { status: 'RUNNING'; values: Record<string, HyperParameterValue> }
  | { status: 'IDLE' }
  | { status: 'STOPPED' };

/** The persisted state of an oracle. */
export interface OracleState {
  version: 1;
  oracle: string;
  seed: number;
  objective: { name: string; direction: 'min' | 'max' };
  maxTrials: number;
  hyperparameters: HyperParametersConfig;
  trials: TrialConfig[];
  createdTrials: number;
  retryQueue: string[];
  consecutiveFailures: number;
  extra: Record<string, unknown>;
}

/**
 * Decides which hyperparameter values each trial tries, and keeps every trial's record (Keras
 * Tuner's `Oracle`). Subclasses implement `populateSpace`. When `setProjectDir` gave it a folder,
 * it writes its whole state to `<dir>/oracle.json` atomically after every change, and each trial to
 * `<dir>/trial_<id>/trial.json`; `reload()` reads it back.
 */
export abstract class Oracle {
  readonly objective: Objective;
  readonly maxTrials: number;
  hyperparameters: HyperParameters;
  readonly allowNewEntries: boolean;
  readonly tuneNewEntries: boolean;
  readonly seed: number;
  readonly maxRetriesPerTrial: number;
  readonly maxConsecutiveFailedTrials: number;
  readonly pruner: Pruner | undefined;
  /** Every trial, by id, in creation order. */
  readonly trials = new Map<string, Trial>();
  /** Trials to create before new ones: failed trials to retry, trials interrupted by a crash. */
  protected retryQueue: string[] = [];
  protected createdTrials = 0;
  protected consecutiveFailures = 0;
  #projectDir: string | undefined;
  /** Values tried so far, as canonical strings, to avoid repeats. */
  protected readonly tried = new Set<string>();
  protected maxCollisions = 20;

  constructor({
    objective = 'val_loss',
    maxTrials = 10,
    hyperparameters,
    allowNewEntries = true,
    tuneNewEntries = true,
    seed = defaultSeed(),
    maxRetriesPerTrial = 0,
    maxConsecutiveFailedTrials = 3,
    pruner,
  }: OracleArgs = {}) {
    const name = this.constructor.name;
    if (!(Number.isInteger(maxTrials) && maxTrials > 0) && maxTrials !== Number.POSITIVE_INFINITY) {
      throw new ValueError(
        `${name}: maxTrials must be a positive integer. Received: ${maxTrials}.`,
      );
    }
    if (!Number.isInteger(maxRetriesPerTrial) || maxRetriesPerTrial < 0) {
      throw new ValueError(
        `${name}: maxRetriesPerTrial must be an integer >= 0. Received: ${maxRetriesPerTrial}.`,
      );
    }
    if (!Number.isInteger(maxConsecutiveFailedTrials) || maxConsecutiveFailedTrials < 1) {
      throw new ValueError(
        `${name}: maxConsecutiveFailedTrials must be an integer >= 1. Received: ${maxConsecutiveFailedTrials}.`,
      );
    }
    this.objective = Objective.from(objective);
    this.maxTrials = maxTrials;
    this.hyperparameters = hyperparameters?.copy() ?? new HyperParameters();
    this.allowNewEntries = allowNewEntries;
    this.tuneNewEntries = tuneNewEntries;
    this.seed = seed;
    this.maxRetriesPerTrial = maxRetriesPerTrial;
    this.maxConsecutiveFailedTrials = maxConsecutiveFailedTrials;
    this.pruner = pruner;
  }

  /** Chooses the values of trial number `index` (0-based, in creation order). */
  protected abstract populateSpace(trialId: string, index: number): Population;

  /** Where the oracle persists itself (`undefined`: in memory only). */
  get projectDir(): string | undefined {
    return this.#projectDir;
  }

  setProjectDir(dir: string | undefined): void {
    this.#projectDir = dir;
  }

  /** The random stream of trial `index`: independent of how many draws other trials made. */
  protected rngFor(index: number, purpose = 'trial'): Rng {
    return createRng(this.seed, `${purpose}-${index}`);
  }

  /** The searched hyperparameters: tunable, not Fixed. */
  protected tunableSpace(): HyperParameter[] {
    return this.hyperparameters.space.filter((p) => p.getConfig().class_name !== 'Fixed');
  }

  /** A canonical string of the active values, for duplicate checks. */
  protected key(values: Record<string, HyperParameterValue>): string {
    const hp = this.hyperparameters.copy();
    hp.values = { ...hp.values, ...values };
    const active = hp.activeValues();
    return JSON.stringify(
      Object.keys(active)
        .sort()
        .map((k) => [k, active[k]]),
    );
  }

  /** Draws values for every active hyperparameter, parents first. */
  protected sampleValues(rng: Rng): Record<string, HyperParameterValue> {
    const hp = this.hyperparameters.copy();
    for (const param of hp.space) {
      if (hp.isActive(param)) hp.values[param.name] = param.sample(rng);
    }
    return hp.values;
  }

  /** Random values not tried before, or null after `maxCollisions` repeats. */
  protected randomValues(rng: Rng): Record<string, HyperParameterValue> | null {
    for (let attempt = 0; attempt < this.maxCollisions; attempt++) {
      const values = this.sampleValues(rng);
      if (!this.tried.has(this.key(values))) return values;
    }
    return null;
  }

  /** Trial ids are zero-padded creation numbers ('00', '01', ...). */
  protected trialIdFor(index: number): string {
    const width = Math.max(
      2,
      String(Number.isFinite(this.maxTrials) ? this.maxTrials - 1 : 0).length,
    );
    return String(index).padStart(width, '0');
  }

  /** Trials that count towards `maxTrials`: all created ones. */
  protected get trialsStarted(): number {
    return this.createdTrials;
  }

  /**
   * The next trial to run: a queued retry or interrupted trial first, then new values from
   * `populateSpace`. Status `STOPPED` means the search is over, `IDLE` that trials must finish first.
   */
  createTrial(_tunerId = 'tuner0'): Trial {
    const queued = this.retryQueue.shift();
    if (queued !== undefined) {
      const trial = this.trials.get(queued)!;
      trial.status = 'RUNNING';
      this.save();
      return trial;
    }
    if (this.trialsStarted >= this.maxTrials) {
      return new Trial('', this.hyperparameters.copy(), 'STOPPED');
    }
    const trialId = this.trialIdFor(this.createdTrials);
    const population = this.populateSpace(trialId, this.createdTrials);
    if (population.status !== 'RUNNING') {
      return new Trial('', this.hyperparameters.copy(), population.status);
    }
    const hp = this.hyperparameters.copy();
    hp.values = { ...hp.values, ...population.values };
    const trial = new Trial(trialId, hp, 'RUNNING');
    this.trials.set(trialId, trial);
    this.tried.add(this.key(population.values));
    this.createdTrials++;
    this.save();
    return trial;
  }

  /** A trial by id. */
  getTrial(trialId: string): Trial {
    const trial = this.trials.get(trialId);
    if (!trial) {
      throw new ValueError(
        `${this.constructor.name}: unknown trial '${trialId}'. Known: ${[...this.trials.keys()].join(', ')}.`,
      );
    }
    return trial;
  }

  /** Adds the hyperparameters a trial registered to the space (when new entries are allowed). */
  updateSpace(hp: HyperParameters): void {
    const known = new Set(this.hyperparameters.space.map((p) => p.name));
    const fresh = hp.space.filter((p) => !known.has(p.name));
    if (fresh.length === 0) return;
    if (!this.allowNewEntries) {
      throw new ValueError(
        `${this.constructor.name}: the hypermodel registered new hyperparameters ${JSON.stringify(fresh.map((p) => p.name))} but allowNewEntries is false.`,
      );
    }
    for (const param of fresh) {
      this.hyperparameters.register(this.tuneNewEntries ? param : hyperParameterAsFixed(param));
    }
    this.tried.clear();
    for (const trial of this.trials.values())
      this.tried.add(this.key(trial.hyperparameters.values));
    this.save();
  }

  /**
   * Records a step's metrics for a running trial and returns its status: `STOPPED` when the
   * pruner decides to stop it, else `RUNNING`.
   */
  updateTrial(trialId: string, metrics: Record<string, number>, step = 0): TrialStatus {
    const trial = this.getTrial(trialId);
    for (const [name, value] of Object.entries(metrics)) {
      if (typeof value === 'number') trial.record(name, value, step);
    }
    let status: TrialStatus = 'RUNNING';
    if (this.pruner && this.objective.name in metrics) {
      const all = [...this.trials.values()];
      if (this.pruner.shouldPrune(trial, step, all, this.objective)) {
        trial.pruned = true;
        trial.message = `pruned at step ${step} by ${String(this.pruner.getConfig().class_name)}`;
        status = 'STOPPED';
      }
    }
    this.save(trial);
    return status;
  }

  /**
   * Ends a trial. `COMPLETED` needs at least one finite value of the objective: a NaN objective
   * marks it `FAILED`, and an objective never reported is a configuration error (ValueError naming
   * the metrics that were reported). A failed trial is queued again while it has retries left.
   */
  endTrial(trialId: string, status: 'COMPLETED' | 'FAILED' | 'INVALID', message?: string): Trial {
    const trial = this.getTrial(trialId);
    trial.status = status;
    trial.message = message ?? trial.message;
    if (status === 'COMPLETED') {
      const series = trial.metrics[this.objective.name];
      if (!series || series.length === 0) {
        trial.status = 'FAILED';
        trial.message = `objective '${this.objective.name}' was never reported`;
        this.save(trial);
        throw new ValueError(
          `Objective '${this.objective.name}' is missing from the metrics trial ${trialId} reported. Expected: '${this.objective.name}'. Found: ${JSON.stringify(Object.keys(trial.metrics))}. Use one of those names (with 'val_' for validation metrics) or report it.`,
        );
      }
      const best = trial.bestObservation(this.objective);
      if (best === null) {
        trial.status = 'FAILED';
        trial.message = `objective '${this.objective.name}' is NaN or infinite at every step`;
      } else {
        trial.score = best.value;
        trial.bestStep = best.step;
      }
    }
    if (trial.status === 'FAILED') {
      this.consecutiveFailures++;
      if (trial.retries < this.maxRetriesPerTrial) {
        trial.retries++;
        trial.metrics = {};
        this.retryQueue.push(trialId);
      }
    } else if (trial.status === 'COMPLETED') {
      this.consecutiveFailures = 0;
    }
    this.save(trial);
    return trial;
  }

  /** Whether too many trials in a row failed (the tuner then raises). */
  get tooManyFailures(): boolean {
    return this.consecutiveFailures >= this.maxConsecutiveFailedTrials;
  }

  /** Completed trials, best first. */
  getBestTrials(numTrials = 1): Trial[] {
    return [...this.trials.values()]
      .filter((t) => t.status === 'COMPLETED' && t.score !== null)
      .sort((a, b) => (a.score! - b.score!) * this.objective.sign)
      .slice(0, numTrials);
  }

  /** Completed trials' [probabilities in [0, 1]^d, objective to minimize], for model-based oracles. */
  protected observations(space: HyperParameter[]): { x: number[][]; y: number[] } {
    const x: number[][] = [];
    const y: number[] = [];
    for (const trial of this.trials.values()) {
      if (trial.status !== 'COMPLETED' || trial.score === null) continue;
      x.push(space.map((p) => p.valueToProb(trial.hyperparameters.values[p.name] ?? p.default)));
      y.push(trial.score * this.objective.sign);
    }
    return { x, y };
  }

  /** Subclass state to persist. */
  protected getExtraState(): Record<string, unknown> {
    return {};
  }

  protected setExtraState(_state: Record<string, unknown>): void {}

  getState(): OracleState {
    return {
      version: 1,
      oracle: this.constructor.name,
      seed: this.seed,
      objective: this.objective.getConfig(),
      maxTrials: Number.isFinite(this.maxTrials) ? this.maxTrials : -1,
      hyperparameters: this.hyperparameters.getConfig(),
      trials: [...this.trials.values()].map((t) => t.getConfig()),
      createdTrials: this.createdTrials,
      retryQueue: [...this.retryQueue],
      consecutiveFailures: this.consecutiveFailures,
      extra: this.getExtraState(),
    };
  }

  /**
   * Restores a saved state. Trials that were `RUNNING` (the process died during them) are queued
   * first, so the next `createTrial` resumes them with the same values.
   */
  setState(state: OracleState): void {
    if (state.oracle !== this.constructor.name) {
      throw new ValueError(
        `${this.constructor.name}: the project holds the state of a ${state.oracle}. Use the same oracle, another projectName, or overwrite: true.`,
      );
    }
    if (state.objective.name !== this.objective.name) {
      throw new ValueError(
        `${this.constructor.name}: the project was searched for '${state.objective.name}', not '${this.objective.name}'. Use another projectName or overwrite: true.`,
      );
    }
    this.hyperparameters = HyperParameters.fromConfig(state.hyperparameters);
    this.trials.clear();
    this.tried.clear();
    for (const config of state.trials) {
      const trial = Trial.fromConfig(config);
      this.trials.set(trial.trialId, trial);
      this.tried.add(this.key(trial.hyperparameters.values));
    }
    this.createdTrials = state.createdTrials;
    this.consecutiveFailures = state.consecutiveFailures;
    const interrupted = [...this.trials.values()]
      .filter((t) => t.status === 'RUNNING' && !state.retryQueue.includes(t.trialId))
      .map((t) => t.trialId);
    this.retryQueue = [...interrupted, ...state.retryQueue];
    this.setExtraState(state.extra);
  }

  /** Writes the state (and one trial's file) when a project folder is set. */
  save(trial?: Trial): void {
    if (!this.#projectDir) return;
    if (trial?.trialId) {
      writeJsonAtomic(
        join(this.#projectDir, `trial_${trial.trialId}`, 'trial.json'),
        trial.getConfig(),
      );
    }
    writeJsonAtomic(join(this.#projectDir, 'oracle.json'), this.getState());
  }

  /** Reads the state back from the project folder; false when there is none. */
  reload(): boolean {
    if (!this.#projectDir) return false;
    const path = join(this.#projectDir, 'oracle.json');
    if (!existsSync(path)) return false;
    const state = readJson<OracleState>(path);
    if (state.version !== 1) {
      throw new RuntimeError(
        `${this.constructor.name}: ${path} has state version ${state.version}; expected 1.`,
      );
    }
    this.setState(state);
    return true;
  }
}

/** A hyperparameter frozen at its default (for `tuneNewEntries: false`). */
function hyperParameterAsFixed(param: HyperParameter): HyperParameter {
  const hp = new HyperParameters();
  hp.Fixed(param.name, param.default);
  return hp.space[0]!;
}
