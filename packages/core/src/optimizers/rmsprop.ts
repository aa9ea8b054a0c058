import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import type { VariableLike } from './variable-like.js';

export interface RMSpropArgs extends OptimizerArgs {
  /** @default 0.001 */
  learningRate?: OptimizerArgs['learningRate'];
  /** Decay of the squared-gradient average. @default 0.9 */
  rho?: number;
  /** @default 0.0 */
  momentum?: number;
  /** @default 1e-7 */
  epsilon?: number;
  /** Normalise by the variance estimate instead of the second moment. @default false */
  centered?: boolean;
}

/** RMSprop (Keras `RMSprop`). */
export class RMSprop extends Optimizer {
  static override readonly className: string = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  private velocities: tf.Variable[] = [];
  private momentums: tf.Variable[] = [];
  private averageGradients: tf.Variable[] = [];

  constructor({
    rho = 0.9,
    momentum = 0.0,
    epsilon = 1e-7,
    centered = false,
    ...base
  }: RMSpropArgs = {}) {
    super(base, 0.001);
    this.rho = rho;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.centered = centered;
  }

  protected buildState(variables: VariableLike[]): void {
    this.velocities = variables.map((v) => this.addVariableFromReference(v, 'velocity'));
    if (this.momentum > 0)
      this.momentums = variables.map((v) => this.addVariableFromReference(v, 'momentum'));
    if (this.centered)
      this.averageGradients = variables.map((v) =>
        this.addVariableFromReference(v, 'average_gradient'),
      );
  }

  protected updateStep(g: tf.Tensor, variable: tf.Variable, lr: number, index: number): void {
    const rho = this.rho;
    const velocity = this.velocities[index]!;
    velocity.assign(tf.add(tf.mul(velocity, rho), tf.mul(tf.square(g), 1 - rho)));
    let denominator: tf.Tensor;
    if (this.centered) {
      const avg = this.averageGradients[index]!;
      avg.assign(tf.add(tf.mul(avg, rho), tf.mul(g, 1 - rho)));
      denominator = tf.add(tf.sub(velocity, tf.square(avg)), this.epsilon);
    } else {
      denominator = tf.add(velocity, this.epsilon);
    }
    const increment = tf.div(tf.mul(g, lr), tf.sqrt(denominator));
    if (this.momentum > 0) {
      const mom = this.momentums[index]!;
      mom.assign(tf.add(tf.mul(mom, this.momentum), increment));
      variable.assign(tf.sub(variable, mom));
    } else {
      variable.assign(tf.sub(variable, increment));
    }
  }

  override getConfig(): OptimizerConfig {
    return {
      ...super.getConfig(),
      rho: this.rho,
      momentum: this.momentum,
      epsilon: this.epsilon,
      centered: this.centered,
    };
  }

  static fromConfig(config: OptimizerConfig): RMSprop {
    return new RMSprop({
      ...Optimizer.baseArgs(config),
      rho: config.rho as number | undefined,
      momentum: config.momentum as number | undefined,
      epsilon: config.epsilon as number | undefined,
      centered: config.centered as boolean | undefined,
    });
  }
}
