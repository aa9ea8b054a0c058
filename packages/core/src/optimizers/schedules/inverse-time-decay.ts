import { LearningRateSchedule, num, positive, registerSchedule } from './learning-rate-schedule.js';

export interface InverseTimeDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in discrete intervals (`floor(step / decaySteps)`). @default false */
  staircase?: boolean;
  /** @default 'InverseTimeDecay' */
  name?: string;
}

/** `initialLearningRate / (1 + decayRate * step / decaySteps)` (Keras `InverseTimeDecay`). */
export class InverseTimeDecay extends LearningRateSchedule {
  static override readonly className: string = 'InverseTimeDecay';
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
    name = 'InverseTimeDecay',
  }: InverseTimeDecayArgs) {
    super();
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = positive('InverseTimeDecay', 'decaySteps', decaySteps);
    this.decayRate = decayRate;
    this.staircase = staircase;
    this.name = name;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
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

  static fromConfig(config: Record<string, unknown>): InverseTimeDecay {
    return new InverseTimeDecay({
      initialLearningRate: num(config, 'initial_learning_rate'),
      decaySteps: num(config, 'decay_steps'),
      decayRate: num(config, 'decay_rate'),
      staircase: Boolean(config.staircase),
      name: typeof config.name === 'string' ? config.name : undefined,
    });
  }
}
registerSchedule(InverseTimeDecay);
