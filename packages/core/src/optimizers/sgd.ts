import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import type { VariableLike } from './variable-like.js';

export interface SGDArgs extends OptimizerArgs {
  /** @default 0.01 */
  learningRate?: OptimizerArgs['learningRate'];
  /** Velocity decay, in [0, 1]. @default 0.0 */
  momentum?: number;
  /** Nesterov momentum. @default false */
  nesterov?: boolean;
}

/** Gradient descent with optional (Nesterov) momentum (Keras `SGD`). */
export class SGD extends Optimizer {
  static override readonly className: string = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;
  private momentums: (tf.Variable | null)[] = [];

  constructor({ momentum = 0.0, nesterov = false, ...base }: SGDArgs = {}) {
    super(base, 0.01);
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new ValueError(`SGD: momentum must be in [0, 1], received ${momentum}.`);
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  protected buildState(variables: VariableLike[]): void {
    this.momentums = variables.map((v) =>
      this.momentum !== 0 ? this.addVariableFromReference(v, 'momentum') : null,
    );
  }

  protected updateStep(g: tf.Tensor, variable: tf.Variable, lr: number, index: number): void {
    const m = this.momentums[index];
    if (m == null) {
      variable.assign(tf.sub(variable, tf.mul(g, lr)));
      return;
    }
    const mNew = tf.sub(tf.mul(m, this.momentum), tf.mul(g, lr));
    m.assign(mNew);
    const delta = this.nesterov ? tf.sub(tf.mul(mNew, this.momentum), tf.mul(g, lr)) : mNew;
    variable.assign(tf.add(variable, delta));
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov };
  }

  static fromConfig(config: OptimizerConfig): SGD {
    return new SGD({
      ...Optimizer.baseArgs(config),
      momentum: config.momentum as number | undefined,
      nesterov: config.nesterov as boolean | undefined,
    });
  }
}
