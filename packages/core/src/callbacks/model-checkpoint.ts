import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { NotImplementedError, ValueError } from '../errors/errors.js';
import { Callback, type Logs, resolveMode } from './callback.js';
import { formatPath } from './format-path.js';

export interface ModelCheckpointArgs {
  /** @default 'val_loss' */
  monitor?: string;
  /** @default 0 */
  verbose?: number;
  /**
   * Save only when the monitored quantity improves.
   * @default false
   */
  saveBestOnly?: boolean;
  /**
   * `model.saveWeights` (path must end in `.weights.h5`) instead of `model.save` (`.keras`).
   * @default false
   */
  saveWeightsOnly?: boolean;
  /** @default 'auto' */
  mode?: 'auto' | 'min' | 'max';
  /**
   * 'epoch', or save every this many batches.
   * @default 'epoch'
   */
  saveFreq?: 'epoch' | number;
  /** With saveBestOnly, a value the first saved model must beat. */
  initialValueThreshold?: number | null;
}

/**
 * Saves the model or its weights during training (Keras `ModelCheckpoint`). `filepath` may name
 * `{epoch}` (1-based), `{batch}` and any log key with a format spec:
 * `'ckpt-{epoch:02d}-{val_loss:.2f}.weights.h5'`.
 */
export class ModelCheckpoint extends Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly saveFreq: 'epoch' | number;
  best: number | null;
  #batchesSinceSave = 0;
  #currentEpoch = 0;
  /** Paths written, in order. */
  readonly saved: string[] = [];

  constructor(
    filepath: string,
    {
      monitor = 'val_loss',
      verbose = 0,
      saveBestOnly = false,
      saveWeightsOnly = false,
      mode = 'auto',
      saveFreq = 'epoch',
      initialValueThreshold = null,
    }: ModelCheckpointArgs = {},
  ) {
    super();
    if (saveWeightsOnly && !filepath.endsWith('.weights.h5')) {
      throw new ValueError(
        `ModelCheckpoint: with saveWeightsOnly the filepath must end in '.weights.h5'. Received: filepath='${filepath}'.`,
      );
    }
    if (!saveWeightsOnly && !filepath.endsWith('.keras')) {
      throw new ValueError(
        `ModelCheckpoint: the filepath must end in '.keras' (or use saveWeightsOnly with '.weights.h5'). Received: filepath='${filepath}'.`,
      );
    }
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && saveFreq > 0)) {
      throw new ValueError(
        `ModelCheckpoint: saveFreq must be 'epoch' or a positive integer. Received: saveFreq=${String(saveFreq)}.`,
      );
    }
    this.filepath = filepath;
    this.monitor = monitor;
    this.verbose = verbose;
    this.saveBestOnly = saveBestOnly;
    this.saveWeightsOnly = saveWeightsOnly;
    this.mode = resolveMode(mode, monitor);
    this.saveFreq = saveFreq;
    this.best = initialValueThreshold;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.#currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.#batchesSinceSave += 1;
    if (this.#batchesSinceSave >= this.saveFreq) {
      this.#batchesSinceSave = 0;
      await this.#save(this.#currentEpoch, batch, logs);
    }
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.saveFreq === 'epoch') await this.#save(epoch, undefined, logs);
  }

  async #save(epoch: number, batch: number | undefined, logs: Logs): Promise<void> {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    if (batch !== undefined) values.batch = batch + 1;
    const path = formatPath(this.filepath, values);
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        console.warn(
          `ModelCheckpoint: can save best model only with '${this.monitor}' available, skipping.`,
        );
        return;
      }
      const better =
        this.best === null || (this.mode === 'min' ? current < this.best : current > this.best);
      if (!better) {
        if (this.verbose > 0)
          console.log(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best}`);
        return;
      }
      if (this.verbose > 0) {
        console.log(
          `\nEpoch ${epoch + 1}: ${this.monitor} improved from ${this.best} to ${current}, saving model to ${path}`,
        );
      }
      this.best = current;
    }
    const model = this.requireModel();
    const write = this.saveWeightsOnly ? model.saveWeights : model.save;
    if (typeof write !== 'function') {
      throw new NotImplementedError(
        `ModelCheckpoint: the model has no ${this.saveWeightsOnly ? 'saveWeights' : 'save'}() method to write '${path}'.`,
      );
    }
    mkdirSync(dirname(path), { recursive: true });
    await write.call(model, path);
    this.saved.push(path);
  }
}
