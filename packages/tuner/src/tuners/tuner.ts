import { type FitArgs, type Model, RuntimeError, ValueError } from '@cornu/core';
import {
  BaseTuner,
  type BaseTunerArgs,
  type TrialContext,
  type TrialResult,
} from '../engine/base-tuner.js';
import {
  type FitData,
  type FitResult,
  type HyperModel,
  toHyperModel,
} from '../engine/hypermodel.js';
import type { HyperParameters } from '../engine/hyperparameters.js';
import {
  checkpointPathIn,
  readCheckpointFile,
  saveModelCheckpoint,
  setModelCheckpoint,
} from '../engine/model-checkpoints.js';
import { disposeModel, runModelTrial, trackTrialTensors } from '../engine/model-trial.js';
import { encodeForWorker } from '../engine/transfer.js';
import type { Trial } from '../engine/trial.js';
import { moduleHref, WorkerPool } from '../engine/worker-pool.js';
import type { ModelWorkerExtra, ModelWorkerSetup } from '../model-worker.js';

/** A hypermodel: a HyperModel, or a function from hyperparameters to a compiled model. */
export type HyperModelLike = HyperModel | ((hp: HyperParameters) => Model | Promise<Model>);

/** What `search` takes: fit's arguments, `(x, y, args)` or `(dataset, undefined, args)`. */
export type ModelSearchArgs = [x: FitData, y?: FitData | null, args?: FitArgs];

/** Arguments of the model tuners besides the oracle's. */
export interface TunerArgs extends BaseTunerArgs {
  /** The hypermodel; may be left out when `hypermodelModule` gives it. */
  hypermodel?: HyperModelLike;
  /**
   * An ES module (path or file URL) exporting the hypermodel as `hypermodelExport`. With
   * `maxParallelTrials` > 1, each worker thread imports it and trials train truly in parallel,
   * each on its own engine; the data and fit arguments are copied to every worker (tensors only:
   * no datasets or callbacks) and a `directory` is required (workers write the checkpoints).
   * Without it, parallel trials interleave in this thread.
   */
  hypermodelModule?: string | URL;
  /** @default 'hypermodel' */
  hypermodelExport?: string;
  /**
   * Models trained per trial; their per-epoch metrics are averaged.
   * @default 1
   */
  executionsPerTrial?: number;
}

/**
 * Tunes Keras-style models (Keras Tuner's `Tuner`): each trial builds a model from the
 * hypermodel, trains it with `hypermodel.fit` (the model's `fit` by default), reports every epoch
 * to the oracle (so pruners can stop it), keeps the weights of its best epoch as the trial's
 * checkpoint, and disposes the model. With a `directory`, a `BackupAndRestore` per trial lets a
 * killed search resume an interrupted trial from its last finished epoch.
 */
export class Tuner extends BaseTuner<ModelSearchArgs> {
  #hypermodel: HyperModel | undefined;
  readonly hypermodelModule: string | undefined;
  readonly hypermodelExport: string;
  readonly executionsPerTrial: number;
  #pool: WorkerPool | undefined;
  /** Best-epoch weights of each trial when there is no directory. */
  readonly #memoryCheckpoints = new Map<string, Uint8Array>();
  #pendingDiscovery: Promise<void> | undefined;

  constructor(args: TunerArgs) {
    super(args);
    const {
      hypermodel,
      hypermodelModule,
      hypermodelExport = 'hypermodel',
      executionsPerTrial = 1,
    } = args;
    if (hypermodel !== undefined)
      this.#hypermodel = toHyperModel(hypermodel, `${this.constructor.name}: hypermodel`);
    else if (hypermodelModule === undefined) {
      throw new ValueError(
        `${this.constructor.name}: hypermodel must be a HyperModel or a function (hp) => model (or give hypermodelModule). Received: ${String(hypermodel)}.`,
      );
    }
    this.hypermodelModule =
      hypermodelModule === undefined ? undefined : moduleHref(hypermodelModule);
    this.hypermodelExport = hypermodelExport;
    if (this.hypermodelModule && this.maxParallelTrials > 1 && !this.projectDir) {
      throw new ValueError(
        `${this.constructor.name}: parallel trials in worker threads (hypermodelModule with maxParallelTrials ${this.maxParallelTrials}) need a directory: the workers write each trial's checkpoint there. Received: directory=undefined.`,
      );
    }
    if (!Number.isInteger(executionsPerTrial) || executionsPerTrial < 1) {
      throw new ValueError(
        `${this.constructor.name}: executionsPerTrial must be an integer >= 1. Received: ${executionsPerTrial}.`,
      );
    }
    this.executionsPerTrial = executionsPerTrial;
    this.#pendingDiscovery = this.#hypermodel ? this.#discoverSpace() : undefined;
  }

  /** The hypermodel (loaded from `hypermodelModule` at the start of `search` when not given). */
  get hypermodel(): HyperModel {
    if (!this.#hypermodel) {
      throw new RuntimeError(
        `${this.constructor.name}: the hypermodel comes from ${this.hypermodelModule} and is loaded when search starts; call search first.`,
      );
    }
    return this.#hypermodel;
  }

  async #loadHypermodel(): Promise<void> {
    if (this.#hypermodel || !this.hypermodelModule) return;
    const module = (await import(this.hypermodelModule)) as Record<string, unknown>;
    this.#hypermodel = toHyperModel(
      module[this.hypermodelExport],
      `${this.constructor.name}: ${this.hypermodelModule} export '${this.hypermodelExport}'`,
    );
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

  protected override async onSearchBegin(...[x, y, fitArgs = {}]: ModelSearchArgs): Promise<void> {
    await this.#loadHypermodel();
    await (this.#pendingDiscovery ?? this.#discoverSpace());
    this.#pendingDiscovery = undefined;
    if (this.oracle.hyperparameters.space.length === 0 && this.oracle.trials.size === 0) {
      throw new ValueError(
        `${this.constructor.name}: the search space is empty: ${this.hypermodel.name}.build(hp) registered no hyperparameters. Call hp.Int/Float/Choice/Boolean in it.`,
      );
    }
    if (this.hypermodelModule && this.maxParallelTrials > 1) {
      const setup: ModelWorkerSetup = {
        hypermodelModule: this.hypermodelModule,
        hypermodelExport: this.hypermodelExport,
        objective: { name: this.oracle.objective.name, direction: this.oracle.objective.direction },
        executionsPerTrial: this.executionsPerTrial,
        projectDir: this.projectDir!,
        data: encodeForWorker([x, y ?? null, fitArgs], `${this.constructor.name}.search`),
      };
      this.#pool = new WorkerPool(
        this.maxParallelTrials,
        modelWorkerUrl(),
        'createModelObjective',
        setup,
      );
    }
  }

  protected override async onSearchEnd(): Promise<void> {
    await this.#pool?.close();
    this.#pool = undefined;
  }

  /** Path of a trial's best-epoch checkpoint (undefined without a directory). */
  checkpointPath(trialId: string): string | undefined {
    return this.projectDir ? checkpointPathIn(this.projectDir, trialId) : undefined;
  }

  #writeCheckpoint(trialId: string, model: Model): void {
    saveModelCheckpoint(model, this.checkpointPath(trialId), (bytes) =>
      this.#memoryCheckpoints.set(trialId, bytes),
    );
  }

  #readCheckpoint(trialId: string): Uint8Array | undefined {
    const path = this.checkpointPath(trialId);
    if (path) return readCheckpointFile(path);
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
    setModelCheckpoint(model, bytes, `trial ${trialId}'s checkpoint`);
  }

  async runTrial(
    trial: Trial,
    context: TrialContext,
    ...[x, y, fitArgs = {}]: ModelSearchArgs
  ): Promise<TrialResult> {
    const objective = this.oracle.objective;
    const best = trial.bestObservation(objective)?.value ?? Number.NaN;
    if (this.#pool) {
      const extra: ModelWorkerExtra = { best, lastStep: trial.lastStep };
      return this.#pool.runTrial(trial, context, extra);
    }
    return runModelTrial(
      {
        hypermodel: this.hypermodel,
        objective,
        executionsPerTrial: this.executionsPerTrial,
        trackTensors: this.maxParallelTrials === 1,
        loadCheckpoint: (trialId, model) => {
          if (!this.#readCheckpoint(trialId)) return false;
          this.loadCheckpoint(trialId, model);
          return true;
        },
        writeCheckpoint: (trialId, model) => this.#writeCheckpoint(trialId, model),
      },
      {
        trialId: trial.trialId,
        hp: trial.hyperparameters,
        trialDir: this.trialDir(trial),
        best,
        lastStep: trial.lastStep,
        report: (step, logs) => context.report(step, logs),
      },
      x,
      y,
      fitArgs,
    );
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

/** The module model-tuner workers load: dist/model-worker.js, or src/model-worker.ts from source. */
function modelWorkerUrl(): string {
  const here = import.meta.url;
  return new URL(here.endsWith('.ts') ? '../model-worker.ts' : './model-worker.js', here).href;
}

export type { FitResult };
