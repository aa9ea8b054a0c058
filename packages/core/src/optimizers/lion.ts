import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import type { VariableLike } from './variable-like.js';

export interface LionArgs extends OptimizerArgs {
  /** @default 0.001 */
  learningRate?: OptimizerArgs['learningRate'];
  /** Interpolation factor of the update direction, in (0, 1]. @default 0.9 */
  beta1?: number;
  /** Decay of the momentum, in (0, 1]. @default 0.99 */
  beta2?: number;
}

/** Lion, the sign-momentum optimizer (Keras `Lion`). */
export class Lion extends Optimizer {
  static override readonly className: string = 'Lion';
  readonly beta1: number;
  readonly beta2: number;
  private momentums: tf.Variable[] = [];

  constructor({ beta1 = 0.9, beta2 = 0.99, ...base }: LionArgs = {}) {
    super(base, 0.001);
    if (!(beta1 > 0 && beta1 <= 1))
      throw new ValueError(`Lion: beta1 must be in (0, 1], received ${beta1}.`);
    if (!(beta2 > 0 && beta2 <= 1))
      throw new ValueError(`Lion: beta2 must be in (0, 1], received ${beta2}.`);
    this.beta1 = beta1;
    this.beta2 = beta2;
  }

  protected buildState(variables: VariableLike[]): void {
    this.momentums = variables.map((v) => this.addVariableFromReference(v, 'momentum'));
  }

  protected updateStep(g: tf.Tensor, variable: tf.Variable, lr: number, index: number): void {
    const m = this.momentums[index]!;
    const direction = tf.sign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
    variable.assign(tf.sub(variable, tf.mul(direction, lr)));
    m.assign(tf.add(tf.mul(m, this.beta2), tf.mul(g, 1 - this.beta2)));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2 };
  }

  static fromConfig(config: OptimizerConfig): Lion {
    return new Lion({
      ...Optimizer.baseArgs(config),
      beta1: config.beta_1 as number | undefined,
      beta2: config.beta_2 as number | undefined,
    });
  }
}
