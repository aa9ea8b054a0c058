import { Callback, type Logs } from './callback.js';

/** Records each epoch's logs (Keras `History`); `fit` returns it. */
export class History extends Callback {
  /** Epoch indices seen, in order. */
  epoch: number[] = [];
  /** One array per log key: `history.history.loss[i]` is epoch i's loss. */
  history: Record<string, number[]> = {};

  override async onTrainBegin(): Promise<void> {
    this.epoch = [];
    this.history = {};
  }

  override async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      const series = this.history[key] ?? [];
      series.push(value);
      this.history[key] = series;
    }
  }
}
