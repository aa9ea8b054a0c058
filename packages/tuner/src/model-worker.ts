/**
 * What a model tuner's worker thread runs (a separate build entry): it loads the user's
 * hypermodel module, rebuilds the search data once, and runs each trial it is sent with the same
 * code as the tuner's own thread (`runModelTrial`), writing checkpoints into the project folder.
 */
import { backend, type FitArgs } from '@cornu/core';
import type { TrialResult } from './engine/base-tuner.js';
import { type FitData, toHyperModel } from './engine/hypermodel.js';
import type { HyperParameters } from './engine/hyperparameters.js';
import {
  checkpointPathIn,
  readCheckpointFile,
  saveModelCheckpoint,
  setModelCheckpoint,
} from './engine/model-checkpoints.js';
import { runModelTrial } from './engine/model-trial.js';
import { Objective } from './engine/objective.js';
import { decodeInWorker } from './engine/transfer.js';
import type { WorkerTrialContext } from './worker.js';

/** Sent once to every worker of a model tuner. */
export interface ModelWorkerSetup {
  hypermodelModule: string;
  hypermodelExport: string;
  objective: { name: string; direction: 'min' | 'max' };
  executionsPerTrial: number;
  projectDir: string;
  /** `encodeForWorker([x, y, fitArgs])`. */
  data: unknown;
}

/** Per-trial progress sent with each run. */
export interface ModelWorkerExtra {
  best: number;
  lastStep: number;
}

export async function createModelObjective(
  setup: ModelWorkerSetup,
): Promise<(hp: HyperParameters, context: WorkerTrialContext) => Promise<TrialResult>> {
  await backend.ready();
  const module = (await import(setup.hypermodelModule)) as Record<string, unknown>;
  const hypermodel = toHyperModel(
    module[setup.hypermodelExport],
    `${setup.hypermodelModule} export '${setup.hypermodelExport}'`,
  );
  const [x, y, fitArgs] = decodeInWorker(setup.data) as [FitData, FitData | null, FitArgs];
  const objective = new Objective(setup.objective.name, setup.objective.direction);
  const trialSetup = {
    hypermodel,
    objective,
    executionsPerTrial: setup.executionsPerTrial,
    // one trial at a time per worker, so whatever a trial leaves behind is its own
    trackTensors: true,
    loadCheckpoint: (trialId: string, model: Parameters<typeof setModelCheckpoint>[0]) => {
      const bytes = readCheckpointFile(checkpointPathIn(setup.projectDir, trialId));
      if (bytes) setModelCheckpoint(model, bytes, `trial ${trialId}'s checkpoint`);
      return bytes !== undefined;
    },
    writeCheckpoint: (trialId: string, model: Parameters<typeof saveModelCheckpoint>[0]) =>
      saveModelCheckpoint(model, checkpointPathIn(setup.projectDir, trialId)),
  };
  return (hp, context) => {
    const extra = context.extra as ModelWorkerExtra;
    return runModelTrial(
      trialSetup,
      {
        trialId: context.trialId,
        hp,
        trialDir: context.trialDir,
        best: extra.best,
        lastStep: extra.lastStep,
        report: (step, logs) => context.report(step, logs),
      },
      x,
      y,
      fitArgs,
    );
  };
}
