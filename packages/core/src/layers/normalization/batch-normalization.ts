import * as tf from '@tensorflow/tfjs-core';
import { InputSpec, type Shape } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, serializeOptional } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { NotImplementedError, ValueError } from '../../errors/errors.js';
import * as constraints from '../../constraints/index.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { knownDim, resolveAxis } from './axis.js';

/** Reshape a per-channel vector so it broadcasts along `axis` of a rank-`rank` tensor. */
export function broadcastAlong(v: tf.Tensor, axis: number, rank: number): tf.Tensor {
  if (axis === rank - 1) return v;
  const shape = new Array<number>(rank).fill(1);
  shape[axis] = v.size;
  return tf.reshape(v, shape);
}

/**
 * `(x - mean) * rsqrt(variance + epsilon) * gamma + beta`, with the per-channel vectors broadcast
 * along `axis` (a non-negative axis of x). gamma/beta may be null (scale/center off).
 */
export function batchNormalize(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  axis: number,
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    const rank = x.rank;
    let inv = tf.rsqrt(tf.add(variance, epsilon));
    if (gamma) inv = tf.mul(inv, gamma);
    let shift = tf.neg(tf.mul(mean, inv));
    if (beta) shift = tf.add(shift, beta);
    return tf.add(tf.mul(x, broadcastAlong(inv, axis, rank)), broadcastAlong(shift, axis, rank));
  });
}

/** Mean and biased variance of x over every axis except `axis`. */
export function channelMoments(
  x: tf.Tensor,
  axis: number,
): { mean: tf.Tensor; variance: tf.Tensor } {
  const reductionAxes = [...Array(x.rank).keys()].filter((a) => a !== axis);
  return tf.moments(x, reductionAxes, false);
}

/** Mean and biased variance over every axis except `axis`, weighting positions by `mask` (rank - 1). */
function maskedChannelMoments(
  x: tf.Tensor,
  mask: tf.Tensor,
  axis: number,
): { mean: tf.Tensor; variance: tf.Tensor } {
  const reductionAxes = [...Array(x.rank).keys()].filter((a) => a !== axis);
  const w = tf.expandDims(tf.cast(mask, x.dtype), -1);
  const weightSum = tf.add(tf.sum(tf.mul(w, tf.onesLike(x)), reductionAxes), 1e-7);
  const mean = tf.div(tf.sum(tf.mul(w, x), reductionAxes), weightSum);
  const diff = tf.sub(x, broadcastAlong(mean, axis, x.rank));
  const variance = tf.div(tf.sum(tf.mul(w, tf.square(diff)), reductionAxes), weightSum);
  return { mean, variance };
}

/** Arguments of {@link BatchNormalization}. */
export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis (normalized per entry of it). @default -1 */
  axis?: number;
  /** Momentum of the moving mean/variance. @default 0.99 */
  momentum?: number;
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
  /** @default 'zeros' */
  movingMeanInitializer?: initializers.InitializerIdentifier;
  /** @default 'ones' */
  movingVarianceInitializer?: initializers.InitializerIdentifier;
  betaRegularizer?: regularizers.RegularizerIdentifier | null;
  gammaRegularizer?: regularizers.RegularizerIdentifier | null;
  betaConstraint?: constraints.ConstraintIdentifier | null;
  gammaConstraint?: constraints.ConstraintIdentifier | null;
  /** TensorFlow-only cross-replica statistics; must be false here. @default false */
  synchronized?: boolean;
  /** Keras batch renormalization; only false is supported. @default false */
  renorm?: boolean;
  /** Renorm's `{ rmax, rmin, dmax }` clipping (kept in the config; renorm itself is unsupported). @default null */
  renormClipping?: Record<string, number> | null;
  /** Renorm's momentum (kept in the config; renorm itself is unsupported). @default 0.99 */
  renormMomentum?: number;
}

/**
 * Normalizes each feature with batch statistics while training and moving statistics otherwise.
 *
 * With `training: true` (and the layer trainable) it uses the batch mean and biased variance and
 * updates `moving = moving * momentum + batch * (1 - momentum)`; otherwise, and always when frozen
 * (`trainable = false`, as in Keras), it uses the moving statistics. Weights, in Keras order:
 * gamma, beta (trainable), moving_mean, moving_variance (non-trainable).
 *
 * @example
 * ```ts
 * const bn = new BatchNormalization();
 * const y = bn.apply(tf.randomNormal([8, 4]), { training: true });
 * ```
 */
export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: initializers.Initializer;
  readonly gammaInitializer: initializers.Initializer;
  readonly movingMeanInitializer: initializers.Initializer;
  readonly movingVarianceInitializer: initializers.Initializer;
  readonly betaRegularizer: regularizers.Regularizer | null;
  readonly gammaRegularizer: regularizers.Regularizer | null;
  readonly betaConstraint: constraints.Constraint | null;
  readonly gammaConstraint: constraints.Constraint | null;
  readonly synchronized: boolean;
  readonly renormClipping: Record<string, number> | null;
  readonly renormMomentum: number;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;
  movingMean!: LayerVariable;
  movingVariance!: LayerVariable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    const {
      axis = -1,
      momentum = 0.99,
      epsilon = 1e-3,
      center = true,
      scale = true,
      betaInitializer = 'zeros',
      gammaInitializer = 'ones',
      movingMeanInitializer = 'zeros',
      movingVarianceInitializer = 'ones',
      betaRegularizer = null,
      gammaRegularizer = null,
      betaConstraint = null,
      gammaConstraint = null,
      synchronized = false,
      renorm = false,
      renormClipping = null,
      renormMomentum = 0.99,
    } = args;
    if (renorm) {
      throw new NotImplementedError(
        `${this.who}: batch renormalization is not supported; expected renorm=false, received renorm=true.`,
      );
    }
    if (synchronized) {
      throw new ValueError(
        `${this.who}: synchronized=true is only supported by Keras's TensorFlow backend. Received: synchronized=true.`,
      );
    }
    this.axis = axis;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = center;
    this.scale = scale;
    this.betaInitializer = initializers.get(betaInitializer);
    this.gammaInitializer = initializers.get(gammaInitializer);
    this.movingMeanInitializer = initializers.get(movingMeanInitializer);
    this.movingVarianceInitializer = initializers.get(movingVarianceInitializer);
    this.betaRegularizer = betaRegularizer ? regularizers.get(betaRegularizer) : null;
    this.gammaRegularizer = gammaRegularizer ? regularizers.get(gammaRegularizer) : null;
    this.betaConstraint = betaConstraint ? constraints.get(betaConstraint) : null;
    this.gammaConstraint = gammaConstraint ? constraints.get(gammaConstraint) : null;
    this.synchronized = synchronized;
    this.renormClipping = renormClipping === null ? null : { ...renormClipping };
    this.renormMomentum = renormMomentum;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const axis = resolveAxis(this.axis, inputShape, this.who);
    const dim = knownDim(inputShape, axis, this.who);
    if (this.scale) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape: [dim],
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight({
        name: 'beta',
        shape: [dim],
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    this.movingMean = this.addWeight({
      name: 'moving_mean',
      shape: [dim],
      initializer: this.movingMeanInitializer,
      trainable: false,
    });
    this.movingVariance = this.addWeight({
      name: 'moving_variance',
      shape: [dim],
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
    this.inputSpec = new InputSpec({ ndim: inputShape.length, axes: { [this.axis]: dim } });
  }

  override call(inputs: tf.Tensor, { training = false, mask }: CallArgs): tf.Tensor {
    const x = inputs;
    const axis = resolveAxis(this.axis, x.shape, this.who);
    const m = Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
    if (m && m.rank !== x.rank - 1) {
      throw new ValueError(
        `${this.who}: the mask must have one dimension less than the inputs. Received: mask shape [${m.shape.join(', ')}], inputs shape [${x.shape.join(', ')}].`,
      );
    }
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (training && this.trainable) {
      ({ mean, variance } = m ? maskedChannelMoments(x, m, axis) : channelMoments(x, axis));
      const mom = this.momentum;
      const newMean = tf.add(tf.mul(this.movingMean.read(), mom), tf.mul(mean, 1 - mom));
      const newVariance = tf.add(
        tf.mul(this.movingVariance.read(), mom),
        tf.mul(variance, 1 - mom),
      );
      this.movingMean.assign(newMean);
      this.movingVariance.assign(newVariance);
    } else {
      mean = this.movingMean.read();
      variance = this.movingVariance.read();
    }
    return batchNormalize(
      x,
      mean,
      variance,
      this.gamma?.read() ?? null,
      this.beta?.read() ?? null,
      axis,
      this.epsilon,
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeOptional(this.betaInitializer),
      gamma_initializer: serializeOptional(this.gammaInitializer),
      moving_mean_initializer: serializeOptional(this.movingMeanInitializer),
      moving_variance_initializer: serializeOptional(this.movingVarianceInitializer),
      beta_regularizer: serializeOptional(this.betaRegularizer),
      gamma_regularizer: serializeOptional(this.gammaRegularizer),
      beta_constraint: serializeOptional(this.betaConstraint),
      gamma_constraint: serializeOptional(this.gammaConstraint),
      synchronized: this.synchronized,
      renorm: false,
      renorm_clipping: this.renormClipping,
      renorm_momentum: this.renormMomentum,
    };
  }
}

registerKerasClass('keras.layers', BatchNormalization);
