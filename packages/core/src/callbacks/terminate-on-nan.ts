import { Callback, type Logs } from './callback.js';

/** Stops training as soon as a batch loss is NaN or infinite (Keras `TerminateOnNaN`). */
export class TerminateOnNaN extends Callback {
  override async onTrainBatchEnd(batch: number, logs: Logs = {}): Promise<void> {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.warn(`Batch ${batch}: invalid loss, terminating training`);
      this.requireModel().stopTraining = true;
    }
  }
}
