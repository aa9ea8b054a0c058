import { ValueError } from '../errors/errors.js';
import { Callback, currentLearningRate, type Logs, resolveMode } from './callback.js';

export interface ReduceLROnPlateauArgs {
  /** @default 'val_loss' */
  monitor?: string;
  /**
   * New rate = rate * factor (must be < 1).
   * @default 0.1
   */
  factor?: number;
  /**
   * Epochs without improvement before reducing.
   * @default 10
   */
  patience?: number;
  /** @default 0 */
  verbose?: number;
  /** @default 'auto' */
  mode?: 'auto' | 'min' | 'max';
  /**
   * Threshold for measuring a new optimum.
   * @default 1e-4
   */
  minDelta?: number;
  /**
   * Epochs to wait after a reduction before counting again.
   * @default 0
   */
  cooldown?: number;
  /**
   * Lower bound of the learning rate.
   * @default 0
   */
  minLr?: number;
}

/** Reduces the learning rate when a metric has stopped improving (Keras `ReduceLROnPlateau`). */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  wait = 0;
  cooldownCounter = 0;
  best: number;

  constructor({
    monitor = 'val_loss',
    factor = 0.1,
    patience = 10,
    verbose = 0,
    mode = 'auto',
    minDelta = 1e-4,
    cooldown = 0,
    minLr = 0,
  }: ReduceLROnPlateauArgs = {}) {
    super();
    if (!(factor < 1)) {
      throw new ValueError(
        `ReduceLROnPlateau: factor must be < 1 (it multiplies the rate). Received: factor=${factor}.`,
      );
    }
    this.monitor = monitor;
    this.factor = factor;
    this.patience = patience;
    this.verbose = verbose;
    this.mode = resolveMode(mode, monitor);
    this.minDelta = minDelta;
    this.cooldown = cooldown;
    this.minLr = minLr;
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  #better(a: number, b: number): boolean {
    return this.mode === 'min' ? a < b - this.minDelta : a > b + this.minDelta;
  }

  override async onTrainBegin(): Promise<void> {
    this.best = this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    const model = this.requireModel();
    const lr = currentLearningRate(model, 'ReduceLROnPlateau');
    logs.learning_rate = lr;
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(
        `ReduceLROnPlateau: monitor '${this.monitor}' is not in the logs. Available: ${Object.keys(logs).join(', ')}.`,
      );
      return;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.#better(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience && Math.fround(lr) > Math.fround(this.minLr)) {
        const next = Math.max(lr * this.factor, this.minLr);
        model.optimizer!.learningRate = next;
        if (this.verbose > 0)
          console.log(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
