import * as tf from '@tensorflow/tfjs-core';
import { Optimizer, type OptimizerArgs, type OptimizerConfig } from './optimizer.js';
import { toVariable, type VariableLike } from './variable-like.js';

export interface AdafactorArgs extends OptimizerArgs {
  /** @default 0.001 */
  learningRate?: OptimizerArgs['learningRate'];
  /** Decay rate of beta2: `beta2_t = 1 - t ^ beta2Decay`. @default -0.8 */
  beta2Decay?: number;
  /** Added to squared gradients. @default 1e-30 */
  epsilon1?: number;
  /** Floor of the parameter scale. @default 1e-3 */
  epsilon2?: number;
  /** Threshold of the update's RMS clipping. @default 1.0 */
  clipThreshold?: number;
  /** With a constant rate, use `min(lr, 1 / sqrt(t))`. @default true */
  relativeStep?: boolean;
}

/** Adafactor, with factored second moments for weights of rank >= 2 (Keras `Adafactor`). */
export class Adafactor extends Optimizer {
  static override readonly className: string = 'Adafactor';
  readonly beta2Decay: number;
  readonly epsilon1: number;
  readonly epsilon2: number;
  readonly clipThreshold: number;
  readonly relativeStep: boolean;
  private r: tf.Variable[] = [];
  private c: tf.Variable[] = [];
  private v: tf.Variable[] = [];

  constructor({
    beta2Decay = -0.8,
    epsilon1 = 1e-30,
    epsilon2 = 1e-3,
    clipThreshold = 1.0,
    relativeStep = true,
    ...base
  }: AdafactorArgs = {}) {
    super(base, 0.001);
    this.beta2Decay = beta2Decay;
    this.epsilon1 = epsilon1;
    this.epsilon2 = epsilon2;
    this.clipThreshold = clipThreshold;
    this.relativeStep = relativeStep;
  }

  protected buildState(variables: VariableLike[]): void {
    for (const variable of variables) {
      const shape = toVariable(variable).shape;
      const name = variable instanceof tf.Variable ? variable.name : variable.name;
      if (shape.length < 2) {
        // Placeholders, as in Keras, so the state list keeps its layout. Keras makes them
        // from the Python int 0, so they are int32 scalars; matching the dtype keeps
        // optimizer weights exchangeable with Keras by position.
        this.r.push(this.addVariable([], name, 0, 'int32'));
        this.c.push(this.addVariable([], name, 0, 'int32'));
      } else {
        this.r.push(this.addVariable(shape.slice(0, -1), name));
        this.c.push(this.addVariable([...shape.slice(0, -2), shape[shape.length - 1]!], name));
      }
      this.v.push(this.addVariableFromReference(variable, 'velocity'));
    }
  }

  protected updateStep(
    g: tf.Tensor,
    variable: tf.Variable,
    learningRate: number,
    index: number,
    step: number,
  ): void {
    let lr = learningRate;
    if (this.learningRateSchedule == null && this.relativeStep)
      lr = Math.min(lr, 1 / Math.sqrt(step));
    const rms = (x: tf.Tensor) => tf.sqrt(tf.mean(tf.square(x)));
    const rhoT = Math.min(lr, 1 / Math.sqrt(step));
    const alphaT = tf.mul(tf.maximum(rms(variable), this.epsilon2), rhoT);
    const regulated = tf.add(tf.square(g), this.epsilon1);
    const beta2T = 1 - step ** this.beta2Decay;
    const v = this.v[index]!;
    if (variable.rank >= 2) {
      const r = this.r[index]!;
      const c = this.c[index]!;
      r.assign(tf.add(tf.mul(r, beta2T), tf.mul(tf.mean(regulated, -1), 1 - beta2T)));
      c.assign(tf.add(tf.mul(c, beta2T), tf.mul(tf.mean(regulated, -2), 1 - beta2T)));
      v.assign(tf.mul(tf.expandDims(tf.div(r, tf.mean(r, -1, true)), -1), tf.expandDims(c, -2)));
    } else {
      v.assign(tf.add(tf.mul(v, beta2T), tf.mul(regulated, 1 - beta2T)));
    }
    const u = tf.div(g, tf.sqrt(v));
    const uHat = tf.div(u, tf.maximum(1, tf.div(rms(u), this.clipThreshold)));
    variable.assign(tf.sub(variable, tf.mul(alphaT, uHat)));
  }

  override getConfig(): OptimizerConfig {
    return {
      ...super.getConfig(),
      beta_2_decay: this.beta2Decay,
      epsilon_1: this.epsilon1,
      epsilon_2: this.epsilon2,
      clip_threshold: this.clipThreshold,
      relative_step: this.relativeStep,
    };
  }

  static fromConfig(config: OptimizerConfig): Adafactor {
    return new Adafactor({
      ...Optimizer.baseArgs(config),
      beta2Decay: config.beta_2_decay as number | undefined,
      epsilon1: config.epsilon_1 as number | undefined,
      epsilon2: config.epsilon_2 as number | undefined,
      clipThreshold: config.clip_threshold as number | undefined,
      relativeStep: config.relative_step as boolean | undefined,
    });
  }
}
