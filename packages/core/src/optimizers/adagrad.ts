import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import type { VariableLike } from './variable-like.js';

export interface AdagradArgs extends OptimizerArgs {
  /** @default 0.001 */
  learningRate?: OptimizerArgs['learningRate'];
  /** Starting value of the squared-gradient accumulators. @default 0.1 */
  initialAccumulatorValue?: number;
  /** @default 1e-7 */
  epsilon?: number;
}

/** Adagrad (Keras `Adagrad`). */
export class Adagrad extends Optimizer {
  static override readonly className: string = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  private accumulators: tf.Variable[] = [];

  constructor({ initialAccumulatorValue = 0.1, epsilon = 1e-7, ...base }: AdagradArgs = {}) {
    super(base, 0.001);
    this.initialAccumulatorValue = initialAccumulatorValue;
    this.epsilon = epsilon;
  }

  protected buildState(variables: VariableLike[]): void {
    this.accumulators = variables.map((v) =>
      this.addVariableFromReference(v, 'accumulator', this.initialAccumulatorValue),
    );
  }

  protected updateStep(g: tf.Tensor, variable: tf.Variable, lr: number, index: number): void {
    const acc = this.accumulators[index]!;
    acc.assign(tf.add(acc, tf.square(g)));
    variable.assign(tf.sub(variable, tf.div(tf.mul(g, lr), tf.sqrt(tf.add(acc, this.epsilon)))));
  }

  override getConfig(): OptimizerConfig {
    return {
      ...super.getConfig(),
      initial_accumulator_value: this.initialAccumulatorValue,
      epsilon: this.epsilon,
    };
  }

  static fromConfig(config: OptimizerConfig): Adagrad {
    return new Adagrad({
      ...Optimizer.baseArgs(config),
      initialAccumulatorValue: config.initial_accumulator_value as number | undefined,
      epsilon: config.epsilon as number | undefined,
    });
  }
}
