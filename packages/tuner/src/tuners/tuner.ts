import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { callbacks, type FitArgs, type Model, RuntimeError, tf, ValueError } from '@cornu/core';
import {
  BaseTuner,
  type BaseTunerArgs,
  type TrialContext,
  type TrialResult,
} from '../engine/base-tuner.js';
import {
  type FitData,
  type FitResult,
  FunctionHyperModel,
  HyperModel,
} from '../engine/hypermodel.js';
import type { HyperParameters } from '../engine/hyperparameters.js';
import { writeFileAtomic, writeJsonAtomic } from '../engine/io.js';
import type { Objective } from '../engine/objective.js';
import type { Trial } from '../engine/trial.js';
import { decodeWeights, encodeWeights } from '../engine/weights-file.js';

/** A hypermodel: a HyperModel, or a function from hyperparameters to a compiled model. */
export type HyperModelLike = HyperModel | ((hp: HyperParameters) => Model | Promise<Model>);

/** What `search` takes: fit's arguments, `(x, y, args)` or `(dataset, undefined, args)`. */
export type ModelSearchArgs = [x: FitData, y?: FitData | null, args?: FitArgs];

/** Arguments of the model tuners besides the oracle's. */
export interface TunerArgs extends BaseTunerArgs {
  hypermodel: HyperModelLike;
  /**
   * Models trained per trial; their per-epoch metrics are averaged.
   * @default 1
   */
  executionsPerTrial?: number;
}

type EpochLogs = Record<string, number>;

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

/**
 * Tunes Keras-style models (Keras Tuner's `Tuner`): each trial builds a model from the
 * hypermodel, trains it with `hypermodel.fit` (the model's `fit` by default), reports every epoch
 * to the oracle (so pruners can stop it), keeps the weights of its best epoch as the trial's
 * checkpoint, and disposes the model. With a `directory`, a `BackupAndRestore` per trial lets a
 * killed search resume an interrupted trial from its last finished epoch.
 */
export class Tuner extends BaseTuner<ModelSearchArgs> {
  readonly hypermodel: HyperModel;
  readonly executionsPerTrial: number;
  /** Best-epoch weights of each trial when there is no directory. */
  readonly #memoryCheckpoints = new Map<string, Uint8Array>();
  #pendingDiscovery: Promise<void> | undefined;

  constructor(args: TunerArgs) {
    super(args);
    const { hypermodel, executionsPerTrial = 1 } = args;
    if (typeof hypermodel === 'function') this.hypermodel = new FunctionHyperModel(hypermodel);
    else if (hypermodel instanceof HyperModel) this.hypermodel = hypermodel;
    else {
      throw new ValueError(
        `${this.constructor.name}: hypermodel must be a HyperModel or a function (hp) => model. Received: ${String(hypermodel)}.`,
      );
    }
    if (!Number.isInteger(executionsPerTrial) || executionsPerTrial < 1) {
      throw new ValueError(
        `${this.constructor.name}: executionsPerTrial must be an integer >= 1. Received: ${executionsPerTrial}.`,
      );
    }
    this.executionsPerTrial = executionsPerTrial;
    this.#pendingDiscovery = this.#discoverSpace();
  }

  /**
   * Builds once with default values to discover the search space (at construction when `build`
   * is synchronous, so `searchSpaceSummary()` works before `search`).
   */
  #discoverSpace(): Promise<void> | undefined {
    if (this.oracle.hyperparameters.space.length > 0 || this.oracle.trials.size > 0)
      return undefined;
    const hp = this.oracle.hyperparameters.copy();
    const release = trackTrialTensors();
    const finish = (model: Model | undefined): void => {
      disposeModel(model);
      release();
      this.oracle.updateSpace(hp);
    };
    let built: Model | Promise<Model>;
    try {
      built = this.hypermodel.build(hp);
    } catch {
      release();
      return undefined; // the first trial fails with the same error and is recorded
    }
    if (!(built instanceof Promise)) {
      finish(built);
      return undefined;
    }
    return built.then(finish, () => release());
  }

  protected override async onSearchBegin(): Promise<void> {
    await (this.#pendingDiscovery ?? this.#discoverSpace());
    this.#pendingDiscovery = undefined;
    if (this.oracle.hyperparameters.space.length === 0 && this.oracle.trials.size === 0) {
      throw new ValueError(
        `${this.constructor.name}: the search space is empty: ${this.hypermodel.name}.build(hp) registered no hyperparameters. Call hp.Int/Float/Choice/Boolean in it.`,
      );
    }
  }

  /** Path of a trial's best-epoch checkpoint (undefined without a directory). */
  checkpointPath(trialId: string): string | undefined {
    return this.projectDir
      ? join(this.projectDir, `trial_${trialId}`, 'checkpoint.weights')
      : undefined;
  }

  #writeCheckpoint(trialId: string, model: Model): void {
    const weights = model.getWeights();
    try {
      const bytes = encodeWeights(weights);
      const path = this.checkpointPath(trialId);
      if (path) writeFileAtomic(path, bytes);
      else this.#memoryCheckpoints.set(trialId, bytes);
    } finally {
      tf.dispose(weights);
    }
  }

  #readCheckpoint(trialId: string): Uint8Array | undefined {
    const path = this.checkpointPath(trialId);
    if (path) return existsSync(path) ? readFileSync(path) : undefined;
    return this.#memoryCheckpoints.get(trialId);
  }

  /** Loads a trial's best-epoch weights into a model built from its hyperparameters. */
  loadCheckpoint(trialId: string, model: Model): void {
    const bytes = this.#readCheckpoint(trialId);
    if (!bytes) {
      throw new RuntimeError(
        `${this.constructor.name}: trial ${trialId} has no checkpoint (it never reported its objective).`,
      );
    }
    const weights = decodeWeights(bytes, `trial ${trialId}'s checkpoint`);
    try {
      model.setWeights(weights);
    } finally {
      tf.dispose(weights);
    }
  }

  async runTrial(
    trial: Trial,
    context: TrialContext,
    ...[x, y, fitArgs = {}]: ModelSearchArgs
  ): Promise<TrialResult> {
    const hp = trial.hyperparameters;
    const trialDir = this.trialDir(trial);
    const single = this.executionsPerTrial === 1;
    const objective = this.oracle.objective;
    let best = single ? (trial.bestObservation(objective)?.value ?? Number.NaN) : Number.NaN;
    const histories: EpochLogs[][] = [];
    try {
      for (let execution = 0; execution < this.executionsPerTrial; execution++) {
        const donePath =
          trialDir && !single ? join(trialDir, `execution_${execution}.json`) : undefined;
        if (donePath && existsSync(donePath)) {
          histories.push(JSON.parse(readFileSync(donePath, 'utf8')) as EpochLogs[]);
          continue;
        }
        let model: Model | undefined;
        const release = this.maxParallelTrials === 1 ? trackTrialTensors() : undefined;
        try {
          model = await this.hypermodel.build(hp);
          const built = model;
          const warmStart = hp.values['tuner/trial_id'];
          if (typeof warmStart === 'string' && this.#readCheckpoint(warmStart))
            this.loadCheckpoint(warmStart, built);
          const callback = new TrialCallback(
            objective,
            single ? (epoch, logs) => context.report(epoch, logs) : undefined,
            (_epoch, value) => {
              if (!Number.isFinite(value) || !(Number.isNaN(best) || objective.better(value, best)))
                return false;
              best = value;
              return true;
            },
            () => this.#writeCheckpoint(trial.trialId, built),
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
          const result = await this.hypermodel.fit(hp, built, x, y, args);
          if (!(result instanceof callbacks.History)) return result;
          const logs = callback.logs.length > 0 ? callback.logs : historyToLogs(result);
          if (single && trial.lastStep < 0) {
            for (const [epoch, epochLogs] of logs.entries())
              if (epochLogs) await context.report(epoch, epochLogs);
          }
          histories.push(logs);
          if (donePath) writeJsonAtomic(donePath, logs);
        } finally {
          disposeModel(model);
          release?.();
        }
      }
    } catch (error) {
      if (trialDir) this.#cleanTrialDir(trialDir);
      throw error;
    }
    if (!single) {
      const averaged = averageLogs(histories);
      for (const [epoch, logs] of averaged.entries()) await context.report(epoch, logs);
    }
    return undefined;
  }

  #cleanTrialDir(trialDir: string): void {
    for (let e = 0; e < this.executionsPerTrial; e++) {
      rmSync(join(trialDir, `backup_${e}`), { recursive: true, force: true });
      rmSync(join(trialDir, `execution_${e}.json`), { force: true });
    }
  }

  /**
   * The best `numModels` models, best first, rebuilt from their hyperparameters with their best
   * epoch's weights. The caller disposes them.
   */
  async getBestModels(numModels = 1): Promise<Model[]> {
    const models: Model[] = [];
    for (const trial of this.oracle.getBestTrials(numModels)) {
      const model = await this.hypermodel.build(trial.hyperparameters.copy());
      try {
        this.loadCheckpoint(trial.trialId, model);
      } catch (error) {
        disposeModel(model);
        for (const m of models) disposeModel(m);
        throw error;
      }
      models.push(model);
    }
    return models;
  }
}

/**
 * Starts tracking the tensors and variables a trial creates; the returned function disposes every
 * one still alive (what the model, its optimizer, its compiled metrics or a callback left behind),
 * so memory stays flat across trials. Only used when trials run one at a time.
 */
function trackTrialTensors(): () => void {
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
function disposeModel(model: Model | undefined): void {
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

export type { FitResult };
