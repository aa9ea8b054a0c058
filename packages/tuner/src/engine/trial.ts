import { HyperParameters, type HyperParametersConfig } from './hyperparameters.js';
import type { Objective } from './objective.js';

/**
 * Where a trial is: `RUNNING` (handed to a tuner), `IDLE` (nothing to run yet, wait), `STOPPED`
 * (the oracle has no more trials), `COMPLETED`, `FAILED` (the run threw, or the objective was NaN)
 * or `INVALID` (the hypermodel rejected the values).
 */
export type TrialStatus = 'RUNNING' | 'IDLE' | 'STOPPED' | 'COMPLETED' | 'FAILED' | 'INVALID';

/** One reported value of a metric. */
export interface MetricObservation {
  step: number;
  value: number;
}

/** Serialized trial. */
export interface TrialConfig {
  trial_id: string;
  hyperparameters: HyperParametersConfig;
  status: TrialStatus;
  score: number | null;
  best_step: number | null;
  metrics: Record<string, MetricObservation[]>;
  message: string | null;
  pruned: boolean;
  retries: number;
}

/** One set of hyperparameter values and what running it gave (Keras Tuner's `Trial`). */
export class Trial {
  readonly trialId: string;
  hyperparameters: HyperParameters;
  status: TrialStatus;
  /** The best objective value over the reported steps, once the trial ended. */
  score: number | null = null;
  /** The step at which `score` was reached. */
  bestStep: number | null = null;
  /** Every reported value of every metric, by metric name. */
  metrics: Record<string, MetricObservation[]> = {};
  /** Why the trial failed or stopped early. */
  message: string | null = null;
  /** Whether a pruner stopped it before its last step. */
  pruned = false;
  /** How many times it was retried after failing. */
  retries = 0;

  constructor(trialId: string, hyperparameters: HyperParameters, status: TrialStatus) {
    this.trialId = trialId;
    this.hyperparameters = hyperparameters;
    this.status = status;
  }

  /** Records `value` for `name` at `step` (replacing a value reported before for that step). */
  record(name: string, value: number, step: number): void {
    const series = this.metrics[name] ?? [];
    const existing = series.findIndex((o) => o.step === step);
    if (existing >= 0) series[existing] = { step, value };
    else series.push({ step, value });
    series.sort((a, b) => a.step - b.step);
    this.metrics[name] = series;
  }

  /** The last reported step, or -1. */
  get lastStep(): number {
    let last = -1;
    for (const series of Object.values(this.metrics)) {
      for (const o of series) last = Math.max(last, o.step);
    }
    return last;
  }

  /** The best finite value of the objective and its step, or null when there is none. */
  bestObservation(objective: Objective): MetricObservation | null {
    let best: MetricObservation | null = null;
    for (const o of this.metrics[objective.name] ?? []) {
      if (!Number.isFinite(o.value)) continue;
      if (best === null || objective.better(o.value, best.value)) best = o;
    }
    return best;
  }

  getConfig(): TrialConfig {
    return {
      trial_id: this.trialId,
      hyperparameters: this.hyperparameters.getConfig(),
      status: this.status,
      score: this.score,
      best_step: this.bestStep,
      metrics: this.metrics,
      message: this.message,
      pruned: this.pruned,
      retries: this.retries,
    };
  }

  static fromConfig(config: TrialConfig): Trial {
    const trial = new Trial(
      config.trial_id,
      HyperParameters.fromConfig(config.hyperparameters),
      config.status,
    );
    trial.score = config.score;
    trial.bestStep = config.best_step;
    trial.metrics = config.metrics;
    trial.message = config.message;
    trial.pruned = config.pruned;
    trial.retries = config.retries;
    return trial;
  }
}
