import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import type { VariableLike } from './variable-like.js';

export interface AdadeltaArgs extends OptimizerArgs {
  /** @default 0.001 */
  learningRate?: OptimizerArgs['learningRate'];
  /** Decay rate of the running averages. @default 0.95 */
  rho?: number;
  /** @default 1e-7 */
  epsilon?: number;
}

/** Adadelta (Keras `Adadelta`). */
export class Adadelta extends Optimizer {
  static override readonly className: string = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;
  private accumulatedGrads: tf.Variable[] = [];
  private accumulatedDeltaVars: tf.Variable[] = [];

  constructor({ rho = 0.95, epsilon = 1e-7, ...base }: AdadeltaArgs = {}) {
    super(base, 0.001);
    this.rho = rho;
    this.epsilon = epsilon;
  }

  protected buildState(variables: VariableLike[]): void {
    for (const v of variables) {
      this.accumulatedGrads.push(this.addVariableFromReference(v, 'accumulated_grad'));
      this.accumulatedDeltaVars.push(this.addVariableFromReference(v, 'accumulated_delta_var'));
    }
  }

  protected updateStep(g: tf.Tensor, variable: tf.Variable, lr: number, index: number): void {
    const rho = this.rho;
    const accGrad = this.accumulatedGrads[index]!;
    const accDelta = this.accumulatedDeltaVars[index]!;
    accGrad.assign(tf.add(tf.mul(accGrad, rho), tf.mul(tf.square(g), 1 - rho)));
    const rms = (x: tf.Tensor) => tf.sqrt(tf.add(x, this.epsilon));
    const delta = tf.div(tf.mul(tf.neg(rms(accDelta)), g), rms(accGrad));
    accDelta.assign(tf.add(tf.mul(accDelta, rho), tf.mul(tf.square(delta), 1 - rho)));
    variable.assign(tf.add(variable, tf.mul(delta, lr)));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), rho: this.rho, epsilon: this.epsilon };
  }

  static fromConfig(config: OptimizerConfig): Adadelta {
    return new Adadelta({
      ...Optimizer.baseArgs(config),
      rho: config.rho as number | undefined,
      epsilon: config.epsilon as number | undefined,
    });
  }
}
