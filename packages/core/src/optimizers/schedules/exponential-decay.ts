import { LearningRateSchedule, num, positive, registerSchedule } from './learning-rate-schedule.js';

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in discrete intervals (`floor(step / decaySteps)`). @default false */
  staircase?: boolean;
  /** @default 'ExponentialDecay' */
  name?: string;
}

/** `initialLearningRate * decayRate ^ (step / decaySteps)` (Keras `ExponentialDecay`). */
export class ExponentialDecay extends LearningRateSchedule {
  static override readonly className: string = 'ExponentialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  constructor({
    initialLearningRate,
    decaySteps,
    decayRate,
    staircase = false,
    name = 'ExponentialDecay',
  }: ExponentialDecayArgs) {
    super();
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = positive('ExponentialDecay', 'decaySteps', decaySteps);
    this.decayRate = decayRate;
    this.staircase = staircase;
    this.name = name;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * this.decayRate ** p;
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }

  static fromConfig(config: Record<string, unknown>): ExponentialDecay {
    return new ExponentialDecay({
      initialLearningRate: num(config, 'initial_learning_rate'),
      decaySteps: num(config, 'decay_steps'),
      decayRate: num(config, 'decay_rate'),
      staircase: Boolean(config.staircase),
      name: typeof config.name === 'string' ? config.name : undefined,
    });
  }
}
registerSchedule(ExponentialDecay);
