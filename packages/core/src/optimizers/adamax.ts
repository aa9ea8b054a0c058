import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import type { VariableLike } from './variable-like.js';

export interface AdamaxArgs extends OptimizerArgs {
  /** @default 0.001 */
  learningRate?: OptimizerArgs['learningRate'];
  /** @default 0.9 */
  beta1?: number;
  /** @default 0.999 */
  beta2?: number;
  /** @default 1e-7 */
  epsilon?: number;
}

/** Adamax, Adam with the infinity norm (Keras `Adamax`). */
export class Adamax extends Optimizer {
  static override readonly className: string = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private m: tf.Variable[] = [];
  private u: tf.Variable[] = [];

  constructor({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, ...base }: AdamaxArgs = {}) {
    super(base, 0.001);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  protected buildState(variables: VariableLike[]): void {
    for (const v of variables) {
      this.m.push(this.addVariableFromReference(v, 'momentum'));
      this.u.push(this.addVariableFromReference(v, 'norm'));
    }
  }

  protected updateStep(
    g: tf.Tensor,
    variable: tf.Variable,
    lr: number,
    index: number,
    step: number,
  ): void {
    const m = this.m[index]!;
    const u = this.u[index]!;
    m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - this.beta1)));
    u.assign(tf.maximum(tf.mul(u, this.beta2), tf.abs(g)));
    const denom = tf.mul(tf.add(u, this.epsilon), 1 - this.beta1 ** step);
    variable.assign(tf.sub(variable, tf.div(tf.mul(m, lr), denom)));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }

  static fromConfig(config: OptimizerConfig): Adamax {
    return new Adamax({
      ...Optimizer.baseArgs(config),
      beta1: config.beta_1 as number | undefined,
      beta2: config.beta_2 as number | undefined,
      epsilon: config.epsilon as number | undefined,
    });
  }
}
