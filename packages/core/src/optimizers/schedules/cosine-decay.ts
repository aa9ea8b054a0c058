import { LearningRateSchedule, num, positive, registerSchedule } from './learning-rate-schedule.js';

export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Minimum learning rate as a fraction of the decayed-from rate. @default 0.0 */
  alpha?: number;
  /** @default 'CosineDecay' */
  name?: string;
  /** If set, warm up linearly from `initialLearningRate` to this over `warmupSteps`. @default null */
  warmupTarget?: number | null;
  /** @default 0 */
  warmupSteps?: number;
}

/** Cosine decay with optional linear warmup (Keras `CosineDecay`). */
export class CosineDecay extends LearningRateSchedule {
  static override readonly className: string = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor({
    initialLearningRate,
    decaySteps,
    alpha = 0.0,
    name = 'CosineDecay',
    warmupTarget = null,
    warmupSteps = 0,
  }: CosineDecayArgs) {
    super();
    this.initialLearningRate = initialLearningRate;
    this.decaySteps = positive('CosineDecay', 'decaySteps', decaySteps);
    this.alpha = alpha;
    this.name = name;
    this.warmupTarget = warmupTarget;
    this.warmupSteps = warmupSteps;
  }

  private decay(step: number, from: number): number {
    const cosineDecayed = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return ((1 - this.alpha) * cosineDecayed + this.alpha) * from;
  }

  call(step: number): number {
    if (this.warmupTarget == null) {
      return this.decay(Math.min(step, this.decaySteps), this.initialLearningRate);
    }
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) {
      const fraction = s / this.warmupSteps;
      return (this.warmupTarget - this.initialLearningRate) * fraction + this.initialLearningRate;
    }
    return this.decay(s - this.warmupSteps, this.warmupTarget);
  }

  getConfig(): Record<string, unknown> {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget,
      warmup_steps: this.warmupSteps,
    };
  }

  static fromConfig(config: Record<string, unknown>): CosineDecay {
    return new CosineDecay({
      initialLearningRate: num(config, 'initial_learning_rate'),
      decaySteps: num(config, 'decay_steps'),
      alpha: num(config, 'alpha', 0),
      name: typeof config.name === 'string' ? config.name : undefined,
      warmupTarget: typeof config.warmup_target === 'number' ? config.warmup_target : null,
      warmupSteps: num(config, 'warmup_steps', 0),
    });
  }
}
registerSchedule(CosineDecay);
