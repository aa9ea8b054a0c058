/**
 * One model trial, shared by the model tuners' own thread and their worker threads: build from
 * the hyperparameters, warm-start from another trial's checkpoint (Hyperband), fit with a callback
 * that reports each epoch (so pruners can stop it) and keeps the best epoch's weights, resume an
 * interrupted fit from its `BackupAndRestore` folder, average several executions, dispose.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { callbacks, type FitArgs, type Model, tf } from '@cornu/core';
import type { TrialResult } from './base-tuner.js';
import type { FitData, HyperModel } from './hypermodel.js';
import type { HyperParameters } from './hyperparameters.js';
import { writeJsonAtomic } from './io.js';
import type { Objective } from './objective.js';

type EpochLogs = Record<string, number>;

/** What a model trial needs from its tuner. */
export interface ModelTrialSetup {
  hypermodel: HyperModel;
  objective: Objective;
  executionsPerTrial: number;
  /** Dispose whatever a trial leaves behind (only when trials run one at a time per engine). */
  trackTensors: boolean;
  /** Loads a trial's best-epoch weights into `model`; false when it has none. */
  loadCheckpoint(trialId: string, model: Model): boolean;
  /** Saves `model`'s weights as the trial's best-epoch checkpoint. */
  writeCheckpoint(trialId: string, model: Model): void;
}

/** One trial's run. */
export interface ModelTrialRun {
  trialId: string;
  hp: HyperParameters;
  trialDir: string | undefined;
  /** The best objective value reported so far (NaN when none: a fresh trial). */
  best: number;
  /** The last step reported so far (-1 when none). */
  lastStep: number;
  report(step: number, logs: EpochLogs): Promise<boolean>;
}

/** Reports each epoch to the oracle, stops pruned trials and keeps the best epoch's weights. */
class TrialCallback extends callbacks.Callback {
  readonly logs: EpochLogs[] = [];

  constructor(
    readonly objective: Objective,
    readonly report: ((epoch: number, logs: EpochLogs) => Promise<boolean>) | undefined,
    readonly onImproved: (epoch: number, value: number) => boolean,
    readonly saveWeights: () => void,
  ) {
    super();
  }

  override async onEpochEnd(epoch: number, logs: EpochLogs = {}): Promise<void> {
    const model = this.requireModel();
    this.logs[epoch] = { ...logs };
    const value = logs[this.objective.name];
    if (value === undefined) {
      model.stopTraining = true;
      await this.report?.(epoch, logs);
      return;
    }
    if (this.onImproved(epoch, value)) this.saveWeights();
    if (this.report && (await this.report(epoch, logs))) model.stopTraining = true;
  }
}

/** Runs one model trial (see the module comment); reports go through `run.report`. */
export async function runModelTrial(
  setup: ModelTrialSetup,
  run: ModelTrialRun,
  x: FitData,
  y: FitData | null | undefined,
  fitArgs: FitArgs,
): Promise<TrialResult> {
  const { hp, trialDir } = run;
  const { objective, hypermodel, executionsPerTrial } = setup;
  const single = executionsPerTrial === 1;
  let best = single ? run.best : Number.NaN;
  const histories: EpochLogs[][] = [];
  try {
    for (let execution = 0; execution < executionsPerTrial; execution++) {
      const donePath =
        trialDir && !single ? join(trialDir, `execution_${execution}.json`) : undefined;
      if (donePath && existsSync(donePath)) {
        histories.push(JSON.parse(readFileSync(donePath, 'utf8')) as EpochLogs[]);
        continue;
      }
      let model: Model | undefined;
      const release = setup.trackTensors ? trackTrialTensors() : undefined;
      try {
        model = await hypermodel.build(hp);
        const built = model;
        const warmStart = hp.values['tuner/trial_id'];
        if (typeof warmStart === 'string') setup.loadCheckpoint(warmStart, built);
        const callback = new TrialCallback(
          objective,
          single ? (epoch, logs) => run.report(epoch, logs) : undefined,
          (_epoch, value) => {
            if (!Number.isFinite(value) || !(Number.isNaN(best) || objective.better(value, best)))
              return false;
            best = value;
            return true;
          },
          () => setup.writeCheckpoint(run.trialId, built),
        );
        // The backup runs last, after the epoch was reported: a crash between the two re-runs
        // the epoch instead of losing its metrics.
        const backup = trialDir
          ? [new callbacks.BackupAndRestore(join(trialDir, `backup_${execution}`))]
          : [];
        const args: FitArgs = {
          verbose: 0,
          ...fitArgs,
          callbacks: [...(fitArgs.callbacks ?? []), callback, ...backup],
        };
        if (typeof hp.values['tuner/epochs'] === 'number') {
          args.epochs = hp.values['tuner/epochs'];
          args.initialEpoch = hp.values['tuner/initial_epoch'] as number;
        }
        const result = await hypermodel.fit(hp, built, x, y, args);
        if (!(result instanceof callbacks.History)) return result;
        const logs = callback.logs.length > 0 ? callback.logs : historyToLogs(result);
        if (single && run.lastStep < 0) {
          for (const [epoch, epochLogs] of logs.entries())
            if (epochLogs) await run.report(epoch, epochLogs);
        }
        histories.push(logs);
        if (donePath) writeJsonAtomic(donePath, logs);
      } finally {
        disposeModel(model);
        release?.();
      }
    }
  } catch (error) {
    if (trialDir) cleanTrialDir(trialDir, executionsPerTrial);
    throw error;
  }
  if (!single) {
    const averaged = averageLogs(histories);
    for (const [epoch, logs] of averaged.entries()) await run.report(epoch, logs);
  }
  return undefined;
}

function cleanTrialDir(trialDir: string, executions: number): void {
  for (let e = 0; e < executions; e++) {
    rmSync(join(trialDir, `backup_${e}`), { recursive: true, force: true });
    rmSync(join(trialDir, `execution_${e}.json`), { force: true });
  }
}

/**
 * Starts tracking the tensors and variables a trial creates; the returned function disposes every
 * one still alive (what the model, its optimizer, its compiled metrics or a callback left behind),
 * so memory stays flat across trials. Only used when trials run one at a time on an engine.
 */
export function trackTrialTensors(): () => void {
  const engine = tf.engine();
  const before = new Set(Object.keys(engine.state.registeredVariables));
  engine.startScope('cornu_tuner_trial');
  return () => {
    engine.endScope();
    for (const [name, variable] of Object.entries(engine.state.registeredVariables)) {
      if (!before.has(name)) variable.dispose();
    }
  };
}

/** Disposes a model and its optimizer's state. */
export function disposeModel(model: Model | undefined): void {
  if (!model) return;
  const optimizer = (model as { optimizer?: { dispose?: () => void } | null }).optimizer;
  model.dispose();
  optimizer?.dispose?.();
}

function historyToLogs(history: callbacks.History): EpochLogs[] {
  const logs: EpochLogs[] = [];
  history.epoch.forEach((epoch, i) => {
    const entry: EpochLogs = {};
    for (const [key, values] of Object.entries(history.history)) {
      if (values[i] !== undefined) entry[key] = values[i]!;
    }
    logs[epoch] = entry;
  });
  return logs;
}

/** Per-epoch mean of each metric over the executions that reached that epoch. */
function averageLogs(histories: EpochLogs[][]): EpochLogs[] {
  const length = Math.max(0, ...histories.map((h) => h.length));
  const out: EpochLogs[] = [];
  for (let epoch = 0; epoch < length; epoch++) {
    const sums: Record<string, { sum: number; count: number }> = {};
    for (const history of histories) {
      for (const [key, value] of Object.entries(history[epoch] ?? {})) {
        const s = sums[key] ?? { sum: 0, count: 0 };
        s.sum += value;
        s.count++;
        sums[key] = s;
      }
    }
    if (Object.keys(sums).length > 0) {
      out[epoch] = Object.fromEntries(Object.entries(sums).map(([k, s]) => [k, s.sum / s.count]));
    }
  }
  return out;
}
