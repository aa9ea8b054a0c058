import * as tf from '@tensorflow/tfjs-core';
import { InputSpec, type Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs, serializeOptional } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { ValueError } from '../../errors/errors.js';
import * as constraints from '../../constraints/index.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { knownDim, resolveAxis } from './axis.js';

/**
 * Group normalization of x along the channel `axis` (non-negative, not 0): the channels are split
 * into `groups` contiguous groups, each normalized over its channels and all non-batch axes.
 */
export function groupNormalize(
  x: tf.Tensor,
  groups: number,
  axis: number,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  epsilon: number,
): tf.Tensor {
  return tf.tidy(() => {
    const shape = x.shape;
    const channels = shape[axis] ?? 1;
    const grouped = [...shape];
    grouped.splice(axis, 1, groups, channels / groups);
    const g = tf.reshape(x, grouped);
    const reduction = [...Array(grouped.length).keys()].filter((a) => a !== 0 && a !== axis);
    const { mean, variance } = tf.moments(g, reduction, true);
    const weightShape = new Array<number>(grouped.length).fill(1);
    weightShape[axis] = groups;
    weightShape[axis + 1] = channels / groups;
    let inv = tf.rsqrt(tf.add(variance, epsilon));
    if (gamma) inv = tf.mul(inv, tf.reshape(gamma, weightShape));
    let shift = tf.neg(tf.mul(mean, inv));
    if (beta) shift = tf.add(shift, tf.reshape(beta, weightShape));
    return tf.reshape(tf.add(tf.mul(g, inv), shift), shape);
  });
}

/** Arguments of {@link GroupNormalization}. */
export interface GroupNormalizationArgs extends LayerArgs {
  /** Number of channel groups; -1 means one group per channel (instance normalization). @default 32 */
  groups?: number;
  /** The channel axis. @default -1 */
  axis?: number;
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
}

/**
 * Splits the channels into `groups` groups and normalizes each group over its channels and all
 * non-batch axes (Wu & He, 2018); gamma and beta are per channel.
 *
 * @example
 * ```ts
 * const gn = new GroupNormalization({ groups: 2 });
 * const y = gn.apply(tf.randomNormal([2, 5, 5, 4]));
 * ```
 */
export class GroupNormalization extends Layer {
  static override readonly className = 'GroupNormalization';
  /** Number of groups (-1 becomes the channel count at build, as in Keras). */
  groups: number;
  readonly axis: number;
  readonly epsilon: number;
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

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    const {
      groups = 32,
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
    } = args;
    if (!Number.isInteger(groups) || (groups < 1 && groups !== -1)) {
      throw new ValueError(
        `${this.who}: groups must be a positive integer or -1. Received: groups=${groups}.`,
      );
    }
    this.groups = groups;
    this.axis = axis;
    this.epsilon = epsilon;
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

  override build(inputShape: Shape): void {
    const axis = resolveAxis(this.axis, inputShape, this.who);
    if (axis === 0) {
      throw new ValueError(
        `${this.who}: axis must not be the batch axis 0. Received: axis=${this.axis}.`,
      );
    }
    const dim = knownDim(inputShape, axis, this.who);
    if (this.groups === -1) this.groups = dim;
    if (dim < this.groups) {
      throw new ValueError(
        `${this.who}: number of groups (${this.groups}) cannot be more than the number of channels (${dim}).`,
      );
    }
    if (dim % this.groups !== 0) {
      throw new ValueError(
        `${this.who}: the number of channels (${dim}) must be a multiple of the number of groups. Received: groups=${this.groups}.`,
      );
    }
    this.inputSpec = new InputSpec({ ndim: inputShape.length, axes: { [this.axis]: dim } });
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
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    const axis = resolveAxis(this.axis, inputs.shape, this.who);
    return groupNormalize(
      inputs,
      this.groups,
      axis,
      this.gamma?.read() ?? null,
      this.beta?.read() ?? null,
      this.epsilon,
    );
  }

  override computeOutputShape(inputShape: Shape): Shape {
    resolveAxis(this.axis, inputShape, this.who);
    return [...inputShape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serializeOptional(this.betaInitializer),
      gamma_initializer: serializeOptional(this.gammaInitializer),
      beta_regularizer: serializeOptional(this.betaRegularizer),
      gamma_regularizer: serializeOptional(this.gammaRegularizer),
      beta_constraint: serializeOptional(this.betaConstraint),
      gamma_constraint: serializeOptional(this.gammaConstraint),
    };
  }
}

registerKerasClass('keras.layers', GroupNormalization);
