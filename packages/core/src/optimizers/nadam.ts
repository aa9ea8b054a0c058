import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import type { VariableLike } from './variable-like.js';

export interface NadamArgs extends OptimizerArgs {
  /** @default 0.001 */
  learningRate?: OptimizerArgs['learningRate'];
  /** @default 0.9 */
  beta1?: number;
  /** @default 0.999 */
  beta2?: number;
  /** @default 1e-7 */
  epsilon?: number;
}

/** Adam with Nesterov momentum and the 0.96 momentum schedule (Keras `Nadam`). */
export class Nadam extends Optimizer {
  static override readonly className: string = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private m: tf.Variable[] = [];
  private v: tf.Variable[] = [];
  private uProductVariable: tf.Variable | null = null;
  /** The running product of momentum factors, mirrored on the JavaScript side. */
  private uProduct = 1;

  constructor({ beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, ...base }: NadamArgs = {}) {
    super(base, 0.001);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  protected buildState(variables: VariableLike[]): void {
    for (const v of variables) {
      this.m.push(this.addVariableFromReference(v, 'momentum'));
      this.v.push(this.addVariableFromReference(v, 'velocity'));
    }
    this.uProductVariable = this.addVariable([], 'u_product', 1);
  }

  protected override beforeUpdate(step: number): void {
    this.uProduct *= this.beta1 * (1 - 0.5 * 0.96 ** step);
    this.uProductVariable!.assign(tf.scalar(this.uProduct));
  }

  override setWeights(values: tf.Tensor[]): void {
    super.setWeights(values);
    if (this.uProductVariable) this.uProduct = this.uProductVariable.dataSync()[0]!;
  }

  protected updateStep(
    g: tf.Tensor,
    variable: tf.Variable,
    lr: number,
    index: number,
    step: number,
  ): void {
    const b1 = this.beta1;
    const uT = b1 * (1 - 0.5 * 0.96 ** step);
    const uT1 = b1 * (1 - 0.5 * 0.96 ** (step + 1));
    const uProductT = this.uProduct;
    const uProductT1 = uProductT * uT1;
    const beta2Power = this.beta2 ** step;
    const m = this.m[index]!;
    const v = this.v[index]!;
    m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - b1)));
    v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - this.beta2)));
    const mHat = tf.add(tf.mul(m, uT1 / (1 - uProductT1)), tf.mul(g, (1 - uT) / (1 - uProductT)));
    const vHat = tf.div(v, 1 - beta2Power);
    variable.assign(
      tf.sub(variable, tf.div(tf.mul(mHat, lr), tf.add(tf.sqrt(vHat), this.epsilon))),
    );
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }

  static fromConfig(config: OptimizerConfig): Nadam {
    return new Nadam({
      ...Optimizer.baseArgs(config),
      beta1: config.beta_1 as number | undefined,
      beta2: config.beta_2 as number | undefined,
      epsilon: config.epsilon as number | undefined,
    });
  }
}
