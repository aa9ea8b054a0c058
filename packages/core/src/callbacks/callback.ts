import type * as tf from '@tensorflow/tfjs-core';
import { RuntimeError, ValueError } from '../errors/errors.js';

/** Epoch and batch logs: Keras key names (`loss`, `accuracy`, `val_loss`, `learning_rate`, ...). */
export type Logs = Record<string, number>;

/**
 * What `onPredictBatchEnd` receives, as in Keras: the batch's predictions (one tensor, or one
 * per output). They belong to `predict` and stay valid only during the hook: clone to keep them.
 */
export interface PredictBatchLogs {
  outputs: tf.Tensor | tf.Tensor[];
}

/** What `fit` tells callbacks about the run. */
export interface CallbackParams {
  epochs?: number;
  /** Batches per epoch, when known. */
  steps?: number | null;
  verbose?: number;
}

/** The optimizer surface callbacks use (Cornu's Optimizer fits it). */
export interface CallbackOptimizer {
  learningRate: number | unknown;
  readonly iterations?: number;
  variables?(): tf.Variable[];
  setWeights?(values: tf.Tensor[]): void;
  build?(variables: unknown[]): void;
}

/**
 * The model surface callbacks use (docs/contracts.md): Cornu's `Model` fits it, and tests use small
 * fakes. `initialEpoch` is written by BackupAndRestore in `onTrainBegin`; `fit` starts from it.
 */
export interface CallbackModel {
  stopTraining: boolean;
  getWeights(): tf.Tensor[];
  setWeights(values: tf.Tensor[]): void;
  optimizer?: CallbackOptimizer | null;
  save?(path: string): unknown;
  saveWeights?(path: string): unknown;
  trainableWeights?: unknown[];
  initialEpoch?: number;
  readonly weights?: { path: string; read(): tf.Tensor }[];
}

/**
 * Base class of callbacks (Keras `keras.callbacks.Callback`): override the hooks you need. Every hook
 * may be async; `fit` awaits them in order.
 */
export class Callback {
  model: CallbackModel | undefined;
  params: CallbackParams = {};

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  setParams(params: CallbackParams): void {
    this.params = params;
  }

  async onTrainBegin(_logs?: Logs): Promise<void> {}
  async onTrainEnd(_logs?: Logs): Promise<void> {}
  async onEpochBegin(_epoch: number, _logs?: Logs): Promise<void> {}
  async onEpochEnd(_epoch: number, _logs?: Logs): Promise<void> {}
  async onTrainBatchBegin(_batch: number, _logs?: Logs): Promise<void> {}
  async onTrainBatchEnd(_batch: number, _logs?: Logs): Promise<void> {}
  async onTestBegin(_logs?: Logs): Promise<void> {}
  async onTestEnd(_logs?: Logs): Promise<void> {}
  async onTestBatchBegin(_batch: number, _logs?: Logs): Promise<void> {}
  async onTestBatchEnd(_batch: number, _logs?: Logs): Promise<void> {}
  async onPredictBegin(_logs?: Logs): Promise<void> {}
  async onPredictEnd(_logs?: Logs): Promise<void> {}
  async onPredictBatchBegin(_batch: number, _logs?: Logs): Promise<void> {}
  async onPredictBatchEnd(_batch: number, _logs?: PredictBatchLogs): Promise<void> {}

  /** The model, or an error naming the callback when it is used before `setModel`. */
  protected requireModel(): CallbackModel {
    if (!this.model) {
      throw new RuntimeError(
        `${this.constructor.name}: no model set. fit() calls setModel; call it yourself when driving callbacks by hand.`,
      );
    }
    return this.model;
  }
}

/** Runs a list of callbacks in order (Keras `CallbackList`); `fit` drives one. */
export class CallbackList extends Callback {
  readonly callbacks: Callback[];

  constructor(
    callbacks: Callback[] = [],
    { model, params }: { model?: CallbackModel; params?: CallbackParams } = {},
  ) {
    super();
    this.callbacks = [...callbacks];
    if (model) this.setModel(model);
    if (params) this.setParams(params);
  }

  append(callback: Callback): void {
    this.callbacks.push(callback);
    if (this.model) callback.setModel(this.model);
    callback.setParams(this.params);
  }

  override setModel(model: CallbackModel): void {
    super.setModel(model);
    for (const c of this.callbacks) c.setModel(model);
  }

  override setParams(params: CallbackParams): void {
    super.setParams(params);
    for (const c of this.callbacks) c.setParams(params);
  }

  override async onTrainBegin(logs?: Logs) {
    for (const c of this.callbacks) await c.onTrainBegin(logs);
  }
  override async onTrainEnd(logs?: Logs) {
    for (const c of this.callbacks) await c.onTrainEnd(logs);
  }
  override async onEpochBegin(epoch: number, logs?: Logs) {
    for (const c of this.callbacks) await c.onEpochBegin(epoch, logs);
  }
  override async onEpochEnd(epoch: number, logs?: Logs) {
    for (const c of this.callbacks) await c.onEpochEnd(epoch, logs);
  }
  override async onTrainBatchBegin(batch: number, logs?: Logs) {
    for (const c of this.callbacks) await c.onTrainBatchBegin(batch, logs);
  }
  override async onTrainBatchEnd(batch: number, logs?: Logs) {
    for (const c of this.callbacks) await c.onTrainBatchEnd(batch, logs);
  }
  override async onTestBegin(logs?: Logs) {
    for (const c of this.callbacks) await c.onTestBegin(logs);
  }
  override async onTestEnd(logs?: Logs) {
    for (const c of this.callbacks) await c.onTestEnd(logs);
  }
  override async onTestBatchBegin(batch: number, logs?: Logs) {
    for (const c of this.callbacks) await c.onTestBatchBegin(batch, logs);
  }
  override async onTestBatchEnd(batch: number, logs?: Logs) {
    for (const c of this.callbacks) await c.onTestBatchEnd(batch, logs);
  }
  override async onPredictBegin(logs?: Logs) {
    for (const c of this.callbacks) await c.onPredictBegin(logs);
  }
  override async onPredictEnd(logs?: Logs) {
    for (const c of this.callbacks) await c.onPredictEnd(logs);
  }
  override async onPredictBatchBegin(batch: number, logs?: Logs) {
    for (const c of this.callbacks) await c.onPredictBatchBegin(batch, logs);
  }
  override async onPredictBatchEnd(batch: number, logs?: PredictBatchLogs) {
    for (const c of this.callbacks) await c.onPredictBatchEnd(batch, logs);
  }
}

/** 'auto' resolved from the monitored name: accuracy-like quantities are maximised. */
export function resolveMode(mode: 'auto' | 'min' | 'max', monitor: string): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  const name = monitor.replace(/^val_/, '');
  if (/loss|error/.test(name)) return 'min';
  return /acc|auc|precision|recall|f1|fbeta|iou|r2|true_positives|true_negatives|specificity|sensitivity/.test(
    name,
  )
    ? 'max'
    : 'min';
}

/** The learning rate as a number (a schedule-driven optimizer reports the current value). */
export function currentLearningRate(model: CallbackModel, who: string): number {
  const lr = model.optimizer?.learningRate;
  if (typeof lr !== 'number') {
    throw new ValueError(
      `${who}: the model's optimizer must have a numeric learningRate. Received: ${String(lr)}.`,
    );
  }
  return lr;
}
