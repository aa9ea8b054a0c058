import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { Callback, type Logs, resolveMode } from './callback.js';

export interface EarlyStoppingArgs {
  /** @default 'val_loss' */
  monitor?: string;
  /**
   * Smallest change that counts as an improvement.
   * @default 0
   */
  minDelta?: number;
  /**
   * Epochs without improvement before stopping.
   * @default 0
   */
  patience?: number;
  /** @default 0 */
  verbose?: number;
  /**
   * 'min', 'max', or 'auto' (from the monitored name).
   * @default 'auto'
   */
  mode?: 'auto' | 'min' | 'max';
  /** Stop unless the monitored value beats this baseline within `patience` epochs. */
  baseline?: number | null;
  /**
   * Put back the weights of the best epoch when training ends.
   * @default false
   */
  restoreBestWeights?: boolean;
  /**
   * Epochs to wait before monitoring starts (warm-up).
   * @default 0
   */
  startFromEpoch?: number;
}

/** Stops training when a monitored quantity has stopped improving (Keras `EarlyStopping`). */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'min' | 'max';
  readonly baseline: number | null;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  stoppedEpoch = 0;
  best: number | null = null;
  bestEpoch = 0;
  #bestWeights: tf.Tensor[] | null = null;

  constructor({
    monitor = 'val_loss',
    minDelta = 0,
    patience = 0,
    verbose = 0,
    mode = 'auto',
    baseline = null,
    restoreBestWeights = false,
    startFromEpoch = 0,
  }: EarlyStoppingArgs = {}) {
    super();
    if (!['auto', 'min', 'max'].includes(mode)) {
      throw new ValueError(
        `EarlyStopping: mode must be 'auto', 'min' or 'max'. Received: mode=${String(mode)}.`,
      );
    }
    this.monitor = monitor;
    this.minDelta = Math.abs(minDelta);
    this.patience = patience;
    this.verbose = verbose;
    this.mode = resolveMode(mode, monitor);
    this.baseline = baseline;
    this.restoreBestWeights = restoreBestWeights;
    this.startFromEpoch = startFromEpoch;
  }

  #isImprovement(value: number, reference: number | null): boolean {
    if (reference === null) return true;
    return this.mode === 'min'
      ? value + this.minDelta < reference
      : value - this.minDelta > reference;
  }

  #keepWeights(): void {
    tf.dispose(this.#bestWeights ?? []);
    // getWeights returns copies (docs/contracts.md): this callback owns them.
    this.#bestWeights = this.requireModel().getWeights();
  }

  override async onTrainBegin(): Promise<void> {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    tf.dispose(this.#bestWeights ?? []);
    this.#bestWeights = null;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(
        `EarlyStopping: monitor '${this.monitor}' is not in the logs. Available: ${Object.keys(logs).join(', ') || 'none'}.`,
      );
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.#bestWeights === null) this.#keepWeights();
    this.wait += 1;
    if (this.#isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.#keepWeights();
      if (this.baseline === null || this.#isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.requireModel().stopTraining = true;
    }
  }

  override async onTrainEnd(): Promise<void> {
    if (this.stoppedEpoch > 0 && this.verbose > 0)
      console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.#bestWeights) {
      if (this.verbose > 0)
        console.log(
          `Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`,
        );
      this.requireModel().setWeights(this.#bestWeights);
      tf.dispose(this.#bestWeights);
      this.#bestWeights = null;
    }
  }
}
