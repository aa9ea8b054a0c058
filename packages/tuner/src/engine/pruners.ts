import { ValueError } from '@cornu/core';
import type { Objective } from './objective.js';
import type { Trial } from './trial.js';

/**
 * Decides, each time a trial reports a step, whether to stop it early. Oracles take one as
 * `pruner`; the tuners report every epoch through `Tuner`'s epoch callback (or `context.report` in
 * a `FunctionTuner`), and a pruned trial ends with its best value so far and `pruned: true`.
 */
export interface Pruner {
  /** Whether `trial`, which just reported `step`, should stop. `trials` holds every trial so far. */
  shouldPrune(trial: Trial, step: number, trials: readonly Trial[], objective: Objective): boolean;
  getConfig(): Record<string, unknown>;
}

function valueAt(trial: Trial, objective: Objective, step: number): number | undefined {
  return trial.metrics[objective.name]?.find((o) => o.step === step)?.value;
}

function checkInteger(owner: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ValueError(`${owner}: ${name} must be an integer >= ${min}. Received: ${value}.`);
  }
}

/** Options of `MedianPruner`. */
export interface MedianPrunerArgs {
  /** Completed trials needed before any pruning. @default 5 */
  nStartupTrials?: number;
  /** Steps each trial runs before it can be pruned. @default 0 */
  nWarmupSteps?: number;
  /** Check every this many steps (after the warm-up). @default 1 */
  intervalSteps?: number;
}

/**
 * The median stopping rule (Golovin et al. 2017, as Optuna's `MedianPruner`): stop a trial whose
 * best value so far is worse than the median of the completed trials' values at the same step.
 */
export class MedianPruner implements Pruner {
  readonly nStartupTrials: number;
  readonly nWarmupSteps: number;
  readonly intervalSteps: number;

  constructor({ nStartupTrials = 5, nWarmupSteps = 0, intervalSteps = 1 }: MedianPrunerArgs = {}) {
    checkInteger('MedianPruner', 'nStartupTrials', nStartupTrials, 0);
    checkInteger('MedianPruner', 'nWarmupSteps', nWarmupSteps, 0);
    checkInteger('MedianPruner', 'intervalSteps', intervalSteps, 1);
    this.nStartupTrials = nStartupTrials;
    this.nWarmupSteps = nWarmupSteps;
    this.intervalSteps = intervalSteps;
  }

  shouldPrune(trial: Trial, step: number, trials: readonly Trial[], objective: Objective): boolean {
    if (step < this.nWarmupSteps || (step - this.nWarmupSteps) % this.intervalSteps !== 0)
      return false;
    const completed = trials.filter((t) => t.status === 'COMPLETED' && t.trialId !== trial.trialId);
    if (completed.length < this.nStartupTrials || completed.length === 0) return false;
    const others = completed
      .map((t) => valueAt(t, objective, step))
      .filter((v): v is number => v !== undefined && Number.isFinite(v))
      .sort((a, b) => a - b);
    if (others.length === 0) return false;
    const mid = others.length >> 1;
    const median = others.length % 2 === 1 ? others[mid]! : (others[mid - 1]! + others[mid]!) / 2;
    const best = trial.bestObservation(objective);
    if (best === null) return true;
    return objective.better(median, best.value);
  }

  getConfig(): Record<string, unknown> {
    return {
      class_name: 'MedianPruner',
      n_startup_trials: this.nStartupTrials,
      n_warmup_steps: this.nWarmupSteps,
      interval_steps: this.intervalSteps,
    };
  }
}

/** Options of `SuccessiveHalvingPruner`. */
export interface SuccessiveHalvingPrunerArgs {
  /** Steps (epochs) a trial runs before its first rung. @default 1 */
  minResource?: number;
  /** Keep the best 1/reductionFactor of the trials at each rung. @default 3 */
  reductionFactor?: number;
  /** Skip this many rungs at the start. @default 0 */
  minEarlyStoppingRate?: number;
}

/**
 * Asynchronous successive halving (Li et al. 2018, as Optuna's `SuccessiveHalvingPruner`): rungs
 * sit at `minResource * reductionFactor^(minEarlyStoppingRate + k)` steps; a trial reaching a rung
 * goes on only if its value there is within the best `1/reductionFactor` of every trial's value at
 * that rung.
 */
export class SuccessiveHalvingPruner implements Pruner {
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;

  constructor({
    minResource = 1,
    reductionFactor = 3,
    minEarlyStoppingRate = 0,
  }: SuccessiveHalvingPrunerArgs = {}) {
    checkInteger('SuccessiveHalvingPruner', 'minResource', minResource, 1);
    checkInteger('SuccessiveHalvingPruner', 'reductionFactor', reductionFactor, 2);
    checkInteger('SuccessiveHalvingPruner', 'minEarlyStoppingRate', minEarlyStoppingRate, 0);
    this.minResource = minResource;
    this.reductionFactor = reductionFactor;
    this.minEarlyStoppingRate = minEarlyStoppingRate;
  }

  /** Whether `step` (0-based) ends a rung. */
  isRung(step: number): boolean {
    const resource = step + 1;
    for (let k = 0; ; k++) {
      const rung = this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + k);
      if (rung === resource) return true;
      if (rung > resource) return false;
    }
  }

  shouldPrune(trial: Trial, step: number, trials: readonly Trial[], objective: Objective): boolean {
    if (!this.isRung(step)) return false;
    const own = valueAt(trial, objective, step);
    if (own === undefined || !Number.isFinite(own)) return true;
    const values = trials
      .map((t) => (t.trialId === trial.trialId ? own : valueAt(t, objective, step)))
      .filter((v): v is number => v !== undefined && Number.isFinite(v))
      .map((v) => v * objective.sign)
      .sort((a, b) => a - b);
    const index = Math.max(Math.floor(values.length / this.reductionFactor) - 1, 0);
    return own * objective.sign > values[index]!;
  }

  getConfig(): Record<string, unknown> {
    return {
      class_name: 'SuccessiveHalvingPruner',
      min_resource: this.minResource,
      reduction_factor: this.reductionFactor,
      min_early_stopping_rate: this.minEarlyStoppingRate,
    };
  }
}
