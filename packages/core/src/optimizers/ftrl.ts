import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import type { VariableLike } from './variable-like.js';

export interface FtrlArgs extends OptimizerArgs {
  /** @default 0.001 */
  learningRate?: OptimizerArgs['learningRate'];
  /** How the rate falls with the accumulator, <= 0. @default -0.5 */
  learningRatePower?: number;
  /** @default 0.1 */
  initialAccumulatorValue?: number;
  /** @default 0.0 */
  l1RegularizationStrength?: number;
  /** @default 0.0 */
  l2RegularizationStrength?: number;
  /** L2 penalty added to the gradient (magnitude shrinkage). @default 0.0 */
  l2ShrinkageRegularizationStrength?: number;
  /** The paper's beta. @default 0.0 */
  beta?: number;
}

/** Follow The Regularized Leader (Keras `Ftrl`). */
export class Ftrl extends Optimizer {
  static override readonly className: string = 'Ftrl';
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;
  private accumulators: tf.Variable[] = [];
  private linears: tf.Variable[] = [];

  constructor({
    learningRatePower = -0.5,
    initialAccumulatorValue = 0.1,
    l1RegularizationStrength = 0.0,
    l2RegularizationStrength = 0.0,
    l2ShrinkageRegularizationStrength = 0.0,
    beta = 0.0,
    ...base
  }: FtrlArgs = {}) {
    super(base, 0.001);
    const nonNegative = {
      initialAccumulatorValue,
      l1RegularizationStrength,
      l2RegularizationStrength,
      l2ShrinkageRegularizationStrength,
    };
    for (const [k, v] of Object.entries(nonNegative)) {
      if (!(v >= 0)) throw new ValueError(`Ftrl: ${k} must be positive or zero, received ${v}.`);
    }
    if (!(learningRatePower <= 0)) {
      throw new ValueError(
        `Ftrl: learningRatePower must be negative or zero, received ${learningRatePower}.`,
      );
    }
    this.learningRatePower = learningRatePower;
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.l1RegularizationStrength = l1RegularizationStrength;
    this.l2RegularizationStrength = l2RegularizationStrength;
    this.l2ShrinkageRegularizationStrength = l2ShrinkageRegularizationStrength;
    this.beta = beta;
  }

  protected buildState(variables: VariableLike[]): void {
    for (const v of variables) {
      this.accumulators.push(
        this.addVariableFromReference(v, 'accumulator', this.initialAccumulatorValue),
      );
      this.linears.push(this.addVariableFromReference(v, 'linear'));
    }
  }

  protected updateStep(g: tf.Tensor, variable: tf.Variable, lr: number, index: number): void {
    const accum = this.accumulators[index]!;
    const linear = this.linears[index]!;
    const p = -this.learningRatePower;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const gradToUse = tf.add(g, tf.mul(variable, 2 * this.l2ShrinkageRegularizationStrength));
    const newAccum = tf.add(accum, tf.square(g));
    const sigma = tf.div(tf.sub(tf.pow(newAccum, p), tf.pow(accum, p)), lr);
    linear.assign(tf.add(linear, tf.sub(gradToUse, tf.mul(sigma, variable))));
    const quadratic = tf.add(tf.div(tf.pow(newAccum, p), lr), 2 * l2);
    const l1 = this.l1RegularizationStrength;
    const clipped = tf.clipByValue(linear, -l1, l1);
    variable.assign(tf.div(tf.sub(clipped, linear), quadratic));
    accum.assign(newAccum);
  }

  override getConfig(): OptimizerConfig {
    return {
      ...super.getConfig(),
      learning_rate_power: this.learningRatePower,
      initial_accumulator_value: this.initialAccumulatorValue,
      l1_regularization_strength: this.l1RegularizationStrength,
      l2_regularization_strength: this.l2RegularizationStrength,
      l2_shrinkage_regularization_strength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }

  static fromConfig(config: OptimizerConfig): Ftrl {
    const n = (k: string) => config[k] as number | undefined;
    return new Ftrl({
      ...Optimizer.baseArgs(config),
      learningRatePower: n('learning_rate_power'),
      initialAccumulatorValue: n('initial_accumulator_value'),
      l1RegularizationStrength: n('l1_regularization_strength'),
      l2RegularizationStrength: n('l2_regularization_strength'),
      l2ShrinkageRegularizationStrength: n('l2_shrinkage_regularization_strength'),
      beta: n('beta'),
    });
  }
}
