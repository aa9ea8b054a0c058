import { LearningRateSchedule, num, positive, registerSchedule } from './learning-rate-schedule.js';

export interface CosineDecayRestartsArgs {
  initialLearningRate: number;
  /** Length of the first period. */
  firstDecaySteps: number;
  /** Each period is `tMul` times longer than the previous. @default 2.0 */
  tMul?: number;
  /** Each restart starts at `mMul` times the previous initial rate. @default 1.0 */
  mMul?: number;
  /** Minimum learning rate as a fraction of `initialLearningRate`. @default 0.0 */
  alpha?: number;
  /** @default 'SGDRDecay' */
  name?: string;
}

/** Cosine decay with warm restarts, SGDR (Keras `CosineDecayRestarts`). */
export class CosineDecayRestarts extends LearningRateSchedule {
  static override readonly className: string = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor({
    initialLearningRate,
    firstDecaySteps,
    tMul = 2.0,
    mMul = 1.0,
    alpha = 0.0,
    name = 'SGDRDecay',
  }: CosineDecayRestartsArgs) {
    super();
    this.initialLearningRate = initialLearningRate;
    this.firstDecaySteps = positive('CosineDecayRestarts', 'firstDecaySteps', firstDecaySteps);
    this.tMul = tMul;
    this.mMul = mMul;
    this.alpha = alpha;
    this.name = name;
  }

  call(step: number): number {
    let fraction = step / this.firstDecaySteps;
    let restart: number;
    if (this.tMul === 1.0) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      restart = Math.floor(Math.log(1 - fraction * (1 - this.tMul)) / Math.log(this.tMul));
      const sumR = (1 - this.tMul ** restart) / (1 - this.tMul);
      fraction = (fraction - sumR) / this.tMul ** restart;
    }
    const cosineDecayed = 0.5 * this.mMul ** restart * (1 + Math.cos(Math.PI * fraction));
    return this.initialLearningRate * ((1 - this.alpha) * cosineDecayed + this.alpha);
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      first_decay_steps: this.firstDecaySteps,
      t_mul: this.tMul,
      m_mul: this.mMul,
      alpha: this.alpha,
      name: this.name,
    };
  }

  static fromConfig(config: Record<string, unknown>): CosineDecayRestarts {
    return new CosineDecayRestarts({
      initialLearningRate: num(config, 'initial_learning_rate'),
      firstDecaySteps: num(config, 'first_decay_steps'),
      tMul: num(config, 't_mul', 2),
      mMul: num(config, 'm_mul', 1),
      alpha: num(config, 'alpha', 0),
      name: typeof config.name === 'string' ? config.name : undefined,
    });
  }
}
registerSchedule(CosineDecayRestarts);
