import { join } from 'node:path';
import { ValueError } from '../errors/errors.js';
import { Callback, type Logs } from './callback.js';
import { EventFileWriter } from './tfevents.js';

export interface TensorBoardArgs {
  /**
   * Write weight histograms every this many epochs (0 = never).
   * @default 0
   */
  histogramFreq?: number;
  /**
   * 'epoch' writes epoch scalars only; 'batch' or a number also writes `batch_*` scalars every
   * that many training batches.
   * @default 'epoch'
   */
  updateFreq?: 'epoch' | 'batch' | number;
  /** Seconds-since-epoch clock for the event wall times (tests pass a fixed one). */
  clock?: () => number;
}

/**
 * Writes TensorBoard event files (Keras `TensorBoard`): `epoch_<metric>` scalars under
 * `<logDir>/train` and `<logDir>/validation` (the `val_` prefix dropped), optional `batch_<metric>`
 * scalars and weight histograms. View with `tensorboard --logdir <logDir>`.
 */
export class TensorBoard extends Callback {
  readonly logDir: string;
  readonly histogramFreq: number;
  readonly updateFreq: 'epoch' | number;
  readonly #clock: (() => number) | undefined;
  #train?: EventFileWriter;
  #validation?: EventFileWriter;
  #globalStep = 0;

  constructor(
    logDir = 'logs',
    { histogramFreq = 0, updateFreq = 'epoch', clock }: TensorBoardArgs = {},
  ) {
    super();
    const freq = updateFreq === 'batch' ? 1 : updateFreq;
    if (freq !== 'epoch' && !(Number.isInteger(freq) && freq > 0)) {
      throw new ValueError(
        `TensorBoard: updateFreq must be 'epoch', 'batch' or a positive integer. Received: ${String(updateFreq)}.`,
      );
    }
    this.logDir = logDir;
    this.histogramFreq = histogramFreq;
    this.updateFreq = freq;
    this.#clock = clock;
  }

  #writer(kind: 'train' | 'validation'): EventFileWriter {
    const options = this.#clock ? { clock: this.#clock } : {};
    if (kind === 'train') {
      this.#train ??= new EventFileWriter(join(this.logDir, 'train'), options);
      return this.#train;
    }
    this.#validation ??= new EventFileWriter(join(this.logDir, 'validation'), options);
    return this.#validation;
  }

  /** Paths of the event files written so far. */
  get eventFiles(): { train?: string; validation?: string } {
    return {
      ...(this.#train ? { train: this.#train.path } : {}),
      ...(this.#validation ? { validation: this.#validation.path } : {}),
    };
  }

  override async onTrainBegin(): Promise<void> {
    this.#globalStep = 0;
    this.#writer('train');
  }

  override async onTrainBatchEnd(_batch: number, logs: Logs = {}): Promise<void> {
    this.#globalStep += 1;
    if (this.updateFreq === 'epoch' || this.#globalStep % this.updateFreq !== 0) return;
    for (const [key, value] of Object.entries(logs))
      this.#writer('train').scalar(`batch_${key}`, value, this.#globalStep);
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    for (const [key, value] of Object.entries(logs)) {
      if (key.startsWith('val_'))
        this.#writer('validation').scalar(`epoch_${key.slice(4)}`, value, epoch);
      else this.#writer('train').scalar(`epoch_${key}`, value, epoch);
    }
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) {
      const weights = this.requireModel().weights ?? [];
      for (const w of weights)
        this.#writer('train').histogram(`${w.path}/histogram`, w.read().dataSync(), epoch);
    }
  }

  override async onTrainEnd(): Promise<void> {
    this.#train?.close();
    this.#validation?.close();
    this.#train = undefined;
    this.#validation = undefined;
  }
}
