import { Callback, type Logs, type PredictBatchLogs } from './callback.js';

type EpochHook = (epoch: number, logs?: Logs) => void | Promise<void>;
type BatchHook = (batch: number, logs?: Logs) => void | Promise<void>;
type LogsHook = (logs?: Logs) => void | Promise<void>;
type PredictBatchHook = (batch: number, logs?: PredictBatchLogs) => void | Promise<void>;

/** The hooks a LambdaCallback may run. */
export interface LambdaCallbackArgs {
  onTrainBegin?: LogsHook;
  onTrainEnd?: LogsHook;
  onEpochBegin?: EpochHook;
  onEpochEnd?: EpochHook;
  onTrainBatchBegin?: BatchHook;
  onTrainBatchEnd?: BatchHook;
  onTestBegin?: LogsHook;
  onTestEnd?: LogsHook;
  onTestBatchBegin?: BatchHook;
  onTestBatchEnd?: BatchHook;
  onPredictBegin?: LogsHook;
  onPredictEnd?: LogsHook;
  onPredictBatchBegin?: BatchHook;
  /** Receives `{ outputs }`: the batch's predictions, valid during the hook. */
  onPredictBatchEnd?: PredictBatchHook;
}

/**
 * A callback made of plain functions (Keras `LambdaCallback`).
 *
 * @example
 * new callbacks.LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) });
 */
export class LambdaCallback extends Callback {
  readonly hooks: LambdaCallbackArgs;
  constructor(hooks: LambdaCallbackArgs = {}) {
    super();
    this.hooks = hooks;
  }
  override async onTrainBegin(logs?: Logs) {
    await this.hooks.onTrainBegin?.(logs);
  }
  override async onTrainEnd(logs?: Logs) {
    await this.hooks.onTrainEnd?.(logs);
  }
  override async onEpochBegin(epoch: number, logs?: Logs) {
    await this.hooks.onEpochBegin?.(epoch, logs);
  }
  override async onEpochEnd(epoch: number, logs?: Logs) {
    await this.hooks.onEpochEnd?.(epoch, logs);
  }
  override async onTrainBatchBegin(batch: number, logs?: Logs) {
    await this.hooks.onTrainBatchBegin?.(batch, logs);
  }
  override async onTrainBatchEnd(batch: number, logs?: Logs) {
    await this.hooks.onTrainBatchEnd?.(batch, logs);
  }
  override async onTestBegin(logs?: Logs) {
    await this.hooks.onTestBegin?.(logs);
  }
  override async onTestEnd(logs?: Logs) {
    await this.hooks.onTestEnd?.(logs);
  }
  override async onTestBatchBegin(batch: number, logs?: Logs) {
    await this.hooks.onTestBatchBegin?.(batch, logs);
  }
  override async onTestBatchEnd(batch: number, logs?: Logs) {
    await this.hooks.onTestBatchEnd?.(batch, logs);
  }
  override async onPredictBegin(logs?: Logs) {
    await this.hooks.onPredictBegin?.(logs);
  }
  override async onPredictEnd(logs?: Logs) {
    await this.hooks.onPredictEnd?.(logs);
  }
  override async onPredictBatchBegin(batch: number, logs?: Logs) {
    await this.hooks.onPredictBatchBegin?.(batch, logs);
  }
  override async onPredictBatchEnd(batch: number, logs?: PredictBatchLogs) {
    await this.hooks.onPredictBatchEnd?.(batch, logs);
  }
}
