import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import type { VariableLike } from './variable-like.js';

export interface AdamArgs extends OptimizerArgs {
  /** @default 0.001 */
  learningRate?: OptimizerArgs['learningRate'];
  /** Decay of the first moment. @default 0.9 */
  beta1?: number;
  /** Decay of the second moment. @default 0.999 */
  beta2?: number;
  /** @default 1e-7 */
  epsilon?: number;
  /** Use the running maximum of the second moment (AMSGrad). @default false */
  amsgrad?: boolean;
}

/** Adam (Keras `Adam`); `AdamW` is Adam with a default weight decay. */
export class Adam extends Optimizer {
  static override readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  private momentums: tf.Variable[] = [];
  private velocities: tf.Variable[] = [];
  private velocityHats: tf.Variable[] = [];

  constructor({
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon = 1e-7,
    amsgrad = false,
    ...base
  }: AdamArgs = {}) {
    super(base, 0.001);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
  }

  protected buildState(variables: VariableLike[]): void {
    for (const v of variables) {
      this.momentums.push(this.addVariableFromReference(v, 'momentum'));
      this.velocities.push(this.addVariableFromReference(v, 'velocity'));
    }
    if (this.amsgrad)
      this.velocityHats = variables.map((v) => this.addVariableFromReference(v, 'velocity_hat'));
  }

  protected updateStep(
    g: tf.Tensor,
    variable: tf.Variable,
    lr: number,
    index: number,
    step: number,
  ): void {
    const alpha = (lr * Math.sqrt(1 - this.beta2 ** step)) / (1 - this.beta1 ** step);
    const m = this.momentums[index]!;
    const v = this.velocities[index]!;
    m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - this.beta1)));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - this.beta2)));
    let vUsed: tf.Tensor = v;
    if (this.amsgrad) {
      const vHat = this.velocityHats[index]!;
      vHat.assign(tf.maximum(vHat, v));
      vUsed = vHat;
    }
    variable.assign(
      tf.sub(variable, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(vUsed), this.epsilon))),
    );
  }

  override getConfig(): OptimizerConfig {
    return {
      ...super.getConfig(),
      beta_1: this.beta1,
      beta_2: this.beta2,
      epsilon: this.epsilon,
      amsgrad: this.amsgrad,
    };
  }

  protected static adamArgs(config: OptimizerConfig): AdamArgs {
    return {
      ...Optimizer.baseArgs(config),
      beta1: config.beta_1 as number | undefined,
      beta2: config.beta_2 as number | undefined,
      epsilon: config.epsilon as number | undefined,
      amsgrad: config.amsgrad as boolean | undefined,
    };
  }

  static fromConfig(config: OptimizerConfig): Adam {
    return new Adam(Adam.adamArgs(config));
  }
}
