import { ValueError } from '../errors/errors.js';
import { Callback, currentLearningRate, type Logs } from './callback.js';

/**
 * Sets the optimizer's learning rate at the start of each epoch to `schedule(epoch, currentLr)`
 * (Keras `LearningRateScheduler`), and logs it as `learning_rate`.
 *
 * @example
 * new callbacks.LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * Math.exp(-0.1)));
 */
export class LearningRateScheduler extends Callback {
  readonly schedule: (epoch: number, lr: number) => number;
  readonly verbose: number;

  constructor(
    schedule: (epoch: number, lr: number) => number,
    { verbose = 0 }: { verbose?: number } = {},
  ) {
    super();
    this.schedule = schedule;
    this.verbose = verbose;
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const model = this.requireModel();
    const lr = this.schedule(epoch, currentLearningRate(model, 'LearningRateScheduler'));
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new ValueError(
        `LearningRateScheduler: the schedule must return a finite number. Received: ${String(lr)} at epoch ${epoch}.`,
      );
    }
    model.optimizer!.learningRate = lr;
    if (this.verbose > 0)
      console.log(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    if (logs)
      logs.learning_rate = currentLearningRate(this.requireModel(), 'LearningRateScheduler');
  }
}
