import { LearningRateSchedule, num, positive, registerSchedule } from './learning-rate-schedule.js';

export interface PolynomialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** @default 0.0001 */
  endLearningRate?: number;
  /** @default 1.0 */
  power?: number;
  /** Restart the decay past `decaySteps` (with a longer period). @default false */
  cycle?: boolean;
  /** @default 'PolynomialDecay' */
  name?: string;
}

/**
 * `(initial - end) * (1 - step / decaySteps) ^ power + end`, with `step` capped at `decaySteps`,
 * or with the period stretched to the next multiple of `decaySteps` when `cycle` (Keras
 * `PolynomialDecay`).
 */
export class PolynomialDecay extends LearningRateSchedule {
  static override readonly className: string = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor({
    initialLearningRate,
    decaySteps,
    endLearningRate = 0.0001,
    power = 1.0,
    cycle = false,
    name = 'PolynomialDecay',
  }: PolynomialDecayArgs) {
    super();
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = positive('PolynomialDecay', 'decaySteps', decaySteps);
    this.endLearningRate = endLearningRate;
    this.power = power;
    this.cycle = cycle;
    this.name = name;
  }

  call(step: number): number {
    let decaySteps = this.decaySteps;
    let s = step;
    if (this.cycle) {
      const multiplier = step === 0 ? 1 : Math.ceil(step / this.decaySteps);
      decaySteps = this.decaySteps * multiplier;
    } else {
      s = Math.min(step, this.decaySteps);
    }
    const p = s / decaySteps;
    return (
      (this.initialLearningRate - this.endLearningRate) * (1 - p) ** this.power +
      this.endLearningRate
    );
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      end_learning_rate: this.endLearningRate,
      power: this.power,
      cycle: this.cycle,
      name: this.name,
    };
  }

  static fromConfig(config: Record<string, unknown>): PolynomialDecay {
    return new PolynomialDecay({
      initialLearningRate: num(config, 'initial_learning_rate'),
      decaySteps: num(config, 'decay_steps'),
      endLearningRate: num(config, 'end_learning_rate', 0.0001),
      power: num(config, 'power', 1),
      cycle: Boolean(config.cycle),
      name: typeof config.name === 'string' ? config.name : undefined,
    });
  }
}
registerSchedule(PolynomialDecay);
