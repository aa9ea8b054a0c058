import * as tf from '@tensorflow/tfjs-core';
import { InputSpec, type Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs, serializeOptional } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import * as constraints from '../../constraints/index.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { knownDim, resolveAxis } from './axis.js';

/** gamma/beta of shape `input[axes]` reshaped to broadcast against a rank-`rank` input. */
function broadcastWeight(v: tf.Tensor, axes: number[], inputShape: number[]): tf.Tensor {
  const shape = new Array<number>(inputShape.length).fill(1);
  for (const a of axes) shape[a] = inputShape[a] ?? 1;
  return tf.reshape(v, shape);
}

/**
 * Keras 3 layer normalization over `axes` (non-negative, sorted). With `rmsScaling` the input is
 * scaled by `rsqrt(variance + epsilon) * gamma` (Keras 3 uses the variance about the mean there)
 * and beta is not used.
 */
export function layerNormalize(
  x: tf.Tensor,
  axes: number[],
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  epsilon: number,
  rmsScaling = false,
): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, axes, true);
    let inv = tf.rsqrt(tf.add(variance, epsilon));
    if (gamma) inv = tf.mul(inv, broadcastWeight(gamma, axes, x.shape));
    if (rmsScaling) return tf.mul(x, inv);
    let shift = tf.neg(tf.mul(mean, inv));
    if (beta) shift = tf.add(shift, broadcastWeight(beta, axes, x.shape));
    return tf.add(tf.mul(x, inv), shift);
  });
}

/** Arguments of {@link LayerNormalization}. */
export interface LayerNormalizationArgs extends LayerArgs {
  /** Axis or axes normalized (per sample). @default -1 */
  axis?: number | number[];
  /** Added to the variance. @default 1e-3 */
  epsilon?: number;
  /** Add the learned offset beta. @default true */
  center?: boolean;
  /** Multiply by the learned scale gamma. @default true */
  scale?: boolean;
  /** @default 'zeros' */
  betaInitializer?: initializers.InitializerIdentifier;
  /** @default 'ones' */
  gammaInitializer?: initializers.InitializerIdentifier;
  betaRegularizer?: regularizers.RegularizerIdentifier | null;
  gammaRegularizer?: regularizers.RegularizerIdentifier | null;
  betaConstraint?: constraints.ConstraintIdentifier | null;
  gammaConstraint?: constraints.ConstraintIdentifier | null;
  /** Scale by `rsqrt(variance + epsilon) * gamma` only (no centering, no beta). @default false */
  rmsScaling?: boolean;
}

/**
 * Normalizes each sample over `axis` (Ba et al., 2016): `(x - mean) * rsqrt(var + epsilon) * gamma + beta`.
 * gamma and beta have the shape of the normalized axes. With `rmsScaling`, Keras 3's variant:
 * `x * rsqrt(var + epsilon) * gamma`.
 *
 * @example
 * ```ts
 * const ln = new LayerNormalization({ axis: -1 });
 * const y = ln.apply(tf.randomNormal([2, 3, 4]));
 * ```
 */
export class LayerNormalization extends Layer {
  static override readonly className = 'LayerNormalization';
  /** The axes as given; after build, a sorted list (`-1` becomes `[-1]`, as Keras stores them). */
  axis: number | number[];
  readonly epsilon: number;
  readonly rmsScaling: boolean;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: initializers.Initializer;
  readonly gammaInitializer: initializers.Initializer;
  readonly betaRegularizer: regularizers.Regularizer | null;
  readonly gammaRegularizer: regularizers.Regularizer | null;
  readonly betaConstraint: constraints.Constraint | null;
  readonly gammaConstraint: constraints.Constraint | null;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const {
      axis = -1,
      epsilon = 1e-3,
      center = true,
      scale = true,
      betaInitializer = 'zeros',
      gammaInitializer = 'ones',
      betaRegularizer = null,
      gammaRegularizer = null,
      betaConstraint = null,
      gammaConstraint = null,
      rmsScaling = false,
    } = args;
    this.axis = Array.isArray(axis) ? [...axis] : axis;
    this.epsilon = epsilon;
    this.rmsScaling = rmsScaling;
    this.center = center;
    this.scale = scale;
    this.betaInitializer = initializers.get(betaInitializer);
    this.gammaInitializer = initializers.get(gammaInitializer);
    this.betaRegularizer = betaRegularizer ? regularizers.get(betaRegularizer) : null;
    this.gammaRegularizer = gammaRegularizer ? regularizers.get(gammaRegularizer) : null;
    this.betaConstraint = betaConstraint ? constraints.get(betaConstraint) : null;
    this.gammaConstraint = gammaConstraint ? constraints.get(gammaConstraint) : null;
    this.supportsMasking = true;
  }

  private axes(shape: Shape): number[] {
    const list = Array.isArray(this.axis) ? this.axis : [this.axis];
    return list.map((a) => resolveAxis(a, shape, this.who)).sort((a, b) => a - b);
  }

  override build(inputShape: Shape): void {
    const axes = this.axes(inputShape);
    const shape = axes.map((a) => knownDim(inputShape, a, this.who));
    if (this.scale || this.rmsScaling) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center && !this.rmsScaling) {
      this.beta = this.addWeight({
        name: 'beta',
        shape,
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    this.axis = Array.isArray(this.axis) ? [...this.axis].sort((a, b) => a - b) : [this.axis];
    this.inputSpec = new InputSpec({
      ndim: inputShape.length,
      axes: Object.fromEntries(axes.map((a, i) => [a, shape[i] as number])),
    });
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    const axes = this.axes(inputs.shape);
    return layerNormalize(
      inputs,
      axes,
      this.gamma?.read() ?? null,
      this.beta?.read() ?? null,
      this.epsilon,
      this.rmsScaling,
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    this.axes(inputShape);
    return [...inputShape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rms_scaling: this.rmsScaling,
      beta_initializer: serializeOptional(this.betaInitializer),
      gamma_initializer: serializeOptional(this.gammaInitializer),
      beta_regularizer: serializeOptional(this.betaRegularizer),
      gamma_regularizer: serializeOptional(this.gammaRegularizer),
      beta_constraint: serializeOptional(this.betaConstraint),
      gamma_constraint: serializeOptional(this.gammaConstraint),
    };
  }
}

registerKerasClass('keras.layers', LayerNormalization);
