import { ValueError } from '../../errors/errors.js';
import { LearningRateSchedule, registerSchedule } from './learning-rate-schedule.js';

export interface PiecewiseConstantDecayArgs {
  /** Increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries: `values[i]` applies while `step <= boundaries[i]`. */
  values: number[];
  /** @default 'PiecewiseConstant' */
  name?: string;
}

/** A step function of the step count (Keras `PiecewiseConstantDecay`). */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override readonly className: string = 'PiecewiseConstantDecay';
  readonly boundaries: number[];
  readonly values: number[];
  readonly name: string;

  constructor({ boundaries, values, name = 'PiecewiseConstant' }: PiecewiseConstantDecayArgs) {
    super();
    if (values.length !== boundaries.length + 1) {
      throw new ValueError(
        `PiecewiseConstantDecay: values must have one more element than boundaries, received ${values.length} values and ${boundaries.length} boundaries.`,
      );
    }
    this.boundaries = [...boundaries];
    this.values = [...values];
    this.name = name;
  }

  call(step: number): number {
    for (let i = 0; i < this.boundaries.length; i++) {
      if (step <= this.boundaries[i]!) return this.values[i]!;
    }
    return this.values[this.values.length - 1]!;
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values], name: this.name };
  }

  static fromConfig(config: Record<string, unknown>): PiecewiseConstantDecay {
    return new PiecewiseConstantDecay({
      boundaries: config.boundaries as number[],
      values: config.values as number[],
      name: typeof config.name === 'string' ? config.name : undefined,
    });
  }
}
registerSchedule(PiecewiseConstantDecay);
