import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { lossArgs, opt } from './config.js';
import { asFloat, EPSILON, type LossArgs, type LossConfig, LossFunctionWrapper } from './loss.js';

function normalizedProbabilities(yPred: tf.Tensor, axis: number): tf.Tensor {
  return tf.clipByValue(tf.div(yPred, tf.sum(yPred, axis, true)), EPSILON, 1 - EPSILON);
}

/**
 * Log-softmax along any axis: tfjs's logSoftmax/softmax accept only the last one (and throw for
 * Keras's `axis=1` on channels-first logits), so other axes go through `x - logsumexp(x)`.
 */
function logSoftmaxAlong(x: tf.Tensor, axis: number): tf.Tensor {
  const last = axis === -1 || axis === x.rank - 1;
  return last ? tf.logSoftmax(x, -1) : tf.sub(x, tf.logSumExp(x, axis, true));
}

function logProbabilities(yPred: tf.Tensor, fromLogits: boolean, axis: number): tf.Tensor {
  return fromLogits ? logSoftmaxAlong(yPred, axis) : tf.log(normalizedProbabilities(yPred, axis));
}

/** Options of the categorical crossentropy functions. */
export interface CategoricalCrossentropyOptions {
  fromLogits?: boolean;
  labelSmoothing?: number;
  axis?: number;
}

/** `-sum(yTrue * log(softmax or normalised yPred), axis)`; labels smoothed towards `1 / classes`. */
export function categoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  { fromLogits = false, labelSmoothing = 0, axis = -1 }: CategoricalCrossentropyOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    if (
      yTrue.shape.length !== yPred.shape.length ||
      yTrue.shape[yTrue.rank - 1] !== yPred.shape[yPred.rank - 1]
    ) {
      throw new ValueError(
        `categoricalCrossentropy: expected yTrue and yPred of the same shape (one-hot targets), received yTrue [${yTrue.shape}] and yPred [${yPred.shape}]. Fix: use sparseCategoricalCrossentropy for integer labels.`,
      );
    }
    let t = asFloat(yTrue);
    if (labelSmoothing) {
      const classes = yPred.shape[yPred.rank - 1]!;
      t = tf.add(tf.mul(t, 1 - labelSmoothing), labelSmoothing / classes);
    }
    return tf.neg(tf.sum(tf.mul(t, logProbabilities(yPred, fromLogits, axis)), axis));
  });
}

/** Options of `sparseCategoricalCrossentropy`. */
export interface SparseCategoricalCrossentropyOptions {
  fromLogits?: boolean;
  /** A label value whose entries contribute 0 (and are left out of the mean). */
  ignoreClass?: number | null;
  axis?: number;
}

/** Crossentropy against integer labels: `-log p[label]`. Labels of shape `yPred.shape[:-1]` (or with a trailing 1). */
export function sparseCategoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  { fromLogits = false, ignoreClass = null, axis = -1 }: SparseCategoricalCrossentropyOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    let labels = yTrue;
    if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1)
      labels = tf.squeeze(labels, [-1]);
    if (
      labels.rank !== yPred.rank - 1 ||
      !tf.util.arraysEqual(labels.shape, yPred.shape.slice(0, -1))
    ) {
      throw new ValueError(
        `sparseCategoricalCrossentropy: expected integer labels of shape [${yPred.shape.slice(0, -1)}] for predictions of shape [${yPred.shape}], received yTrue of shape [${yTrue.shape}]. Fix: use categoricalCrossentropy for one-hot targets.`,
      );
    }
    const classes = yPred.shape[yPred.rank - 1]!;
    const intLabels = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    let valid: tf.Tensor | null = null;
    let idx = intLabels;
    if (ignoreClass != null) {
      valid = tf.notEqual(intLabels, ignoreClass);
      idx = tf.where(valid, intLabels, tf.zerosLike(intLabels));
    }
    const oneHot = tf.oneHot(tf.reshape(idx, [-1]), classes).reshape(yPred.shape);
    const res = tf.neg(tf.sum(tf.mul(oneHot, logProbabilities(yPred, fromLogits, axis)), axis));
    return valid ? tf.where(valid, res, tf.zerosLike(res)) : res;
  });
}

/** Options of the binary crossentropy functions. */
export interface BinaryCrossentropyOptions {
  fromLogits?: boolean;
  labelSmoothing?: number;
  axis?: number;
}

function elementwiseBinaryCrossentropy(
  t: tf.Tensor,
  yPred: tf.Tensor,
  fromLogits: boolean,
): tf.Tensor {
  if (fromLogits) {
    // max(x, 0) - x * z + log(1 + exp(-|x|))
    return tf.add(
      tf.sub(tf.relu(yPred), tf.mul(yPred, t)),
      tf.log1p(tf.exp(tf.neg(tf.abs(yPred)))),
    );
  }
  const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
  return tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
}

/** `mean(-(y log p + (1 - y) log(1 - p)), axis)`; labels smoothed towards 0.5. */
export function binaryCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  { fromLogits = false, labelSmoothing = 0, axis = -1 }: BinaryCrossentropyOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    let t = asFloat(yTrue);
    if (labelSmoothing) t = tf.add(tf.mul(t, 1 - labelSmoothing), 0.5 * labelSmoothing);
    return tf.mean(elementwiseBinaryCrossentropy(t, yPred, fromLogits), axis);
  });
}

/** Options of `binaryFocalCrossentropy`. */
export interface BinaryFocalCrossentropyOptions extends BinaryCrossentropyOptions {
  applyClassBalancing?: boolean;
  alpha?: number;
  gamma?: number;
}

/**
 * Binary crossentropy scaled by `(1 - p_t)^gamma` (and `alpha` class balancing when asked). With
 * `fromLogits` the crossentropy is computed from the logits (`max(x, 0) - x z + log(1 + exp(-|x|))`)
 * and `p = sigmoid(x)` enters only the focal factor, as tf.keras 2 did. Keras 3 instead clips
 * `sigmoid(x)` to [1e-7, 1 - 1e-7] first, so for |x| beyond about 16 its crossentropy term stops
 * at -log(1e-7) = 16.1 (with zero gradient); inside that range the two agree.
 */
export function binaryFocalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  {
    applyClassBalancing = false,
    alpha = 0.25,
    gamma = 2.0,
    fromLogits = false,
    labelSmoothing = 0,
    axis = -1,
  }: BinaryFocalCrossentropyOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    let t = asFloat(yTrue);
    if (labelSmoothing) t = tf.add(tf.mul(t, 1 - labelSmoothing), 0.5 * labelSmoothing);
    // Deliberately unlike Keras 3 (see above): the crossentropy term comes from the logits
    // directly (stable for large |logits|, its gradient does not vanish); the sigmoid is taken
    // only for the focal factor.
    const bce = elementwiseBinaryCrossentropy(t, yPred, fromLogits);
    const p = fromLogits ? tf.sigmoid(yPred) : yPred;
    const pT = tf.add(tf.mul(t, p), tf.mul(tf.sub(1, t), tf.sub(1, p)));
    let focal = tf.mul(tf.pow(tf.sub(1, pT), gamma), bce);
    if (applyClassBalancing)
      focal = tf.mul(tf.add(tf.mul(t, alpha), tf.mul(tf.sub(1, t), 1 - alpha)), focal);
    return tf.mean(focal, axis);
  });
}

/** Options of `categoricalFocalCrossentropy`. */
export interface CategoricalFocalCrossentropyOptions extends CategoricalCrossentropyOptions {
  alpha?: number;
  gamma?: number;
}

/**
 * `sum(alpha * (1 - p)^gamma * -yTrue * log p, axis)` over one-hot targets. With `fromLogits`,
 * `p = softmax(x)` and `log p = logSoftmax(x)`, so large logits neither saturate nor lose gradient.
 */
export function categoricalFocalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  {
    alpha = 0.25,
    gamma = 2.0,
    fromLogits = false,
    labelSmoothing = 0,
    axis = -1,
  }: CategoricalFocalCrossentropyOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    let t = asFloat(yTrue);
    if (labelSmoothing) {
      const classes = yPred.shape[yPred.rank - 1]!;
      t = tf.add(tf.mul(t, 1 - labelSmoothing), labelSmoothing / classes);
    }
    // From logits, `log p` is a log-softmax rather than the log of a clipped softmax: Keras clips
    // there too, which caps the loss at -log(1e-7) = 16.1 and zeroes its gradient for a confidently
    // wrong class; the values agree wherever the softmax lies inside [1e-7, 1 - 1e-7].
    const output = fromLogits
      ? tf.exp(logSoftmaxAlong(yPred, axis))
      : normalizedProbabilities(yPred, axis);
    const cce = tf.mul(tf.neg(t), logProbabilities(yPred, fromLogits, axis));
    return tf.sum(tf.mul(tf.mul(tf.pow(tf.sub(1, output), gamma), alpha), cce), axis);
  });
}

/** `sum(yTrue * log(yTrue / yPred), -1)` with both clipped to [eps, 1]. */
export function klDivergence(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.clipByValue(asFloat(yTrue), EPSILON, 1);
    const p = tf.clipByValue(yPred, EPSILON, 1);
    return tf.sum(tf.mul(t, tf.log(tf.div(t, p))), -1);
  });
}

/** `mean(yPred - yTrue * log(yPred + eps), -1)`. */
export function poisson(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() =>
    tf.mean(tf.sub(yPred, tf.mul(asFloat(yTrue), tf.log(tf.add(yPred, EPSILON)))), -1),
  );
}

export interface CategoricalCrossentropyArgs extends LossArgs {
  /** `yPred` holds logits rather than probabilities. @default false */
  fromLogits?: boolean;
  /** Mix one-hot targets with the uniform distribution. @default 0.0 */
  labelSmoothing?: number;
  /** The class axis. @default -1 */
  axis?: number;
}

/** Crossentropy against one-hot targets (Keras `CategoricalCrossentropy`). */
export class CategoricalCrossentropy extends LossFunctionWrapper {
  static override readonly className: string = 'CategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor({
    fromLogits = false,
    labelSmoothing = 0.0,
    axis = -1,
    ...args
  }: CategoricalCrossentropyArgs = {}) {
    super(
      (t, p) => categoricalCrossentropy(t, p, { fromLogits, labelSmoothing, axis }),
      args,
      'categorical_crossentropy',
    );
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }
  override getConfig(): LossConfig {
    return {
      ...super.getConfig(),
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
    };
  }
  static fromConfig(config: LossConfig): CategoricalCrossentropy {
    return new CategoricalCrossentropy({
      ...lossArgs(config),
      fromLogits: opt(config, 'from_logits'),
      labelSmoothing: opt(config, 'label_smoothing'),
      axis: opt(config, 'axis'),
    });
  }
}

export interface SparseCategoricalCrossentropyArgs extends LossArgs {
  /** `yPred` holds logits rather than probabilities. @default false */
  fromLogits?: boolean;
  /** A label to ignore (its entries are masked out of the loss). @default null */
  ignoreClass?: number | null;
}

/** Crossentropy against integer labels (Keras `SparseCategoricalCrossentropy`). */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  static override readonly className: string = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  constructor({
    fromLogits = false,
    ignoreClass = null,
    ...args
  }: SparseCategoricalCrossentropyArgs = {}) {
    super(
      (t, p) => sparseCategoricalCrossentropy(t, p, { fromLogits, ignoreClass }),
      args,
      'sparse_categorical_crossentropy',
    );
    this.fromLogits = fromLogits;
    this.ignoreClass = ignoreClass;
  }
  override values(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    // Integer labels are not squeezed against the class axis (Keras passes them through as is).
    return this.fn(yTrue, yPred);
  }
  override call(
    yTrue: tf.Tensor,
    yPred: tf.Tensor,
    sampleWeight?: tf.Tensor | null,
    mask?: tf.Tensor | null,
  ): tf.Scalar {
    if (this.ignoreClass == null) return super.call(yTrue, yPred, sampleWeight, mask);
    const ignore = this.ignoreClass;
    return tf.tidy(() => {
      const labels = yTrue.rank === yPred.rank ? tf.squeeze(yTrue, [-1]) : yTrue;
      let valid: tf.Tensor = tf.cast(tf.notEqual(labels, ignore), 'float32');
      if (mask) valid = tf.mul(valid, tf.cast(mask, 'float32'));
      return super.call(yTrue, yPred, sampleWeight, valid);
    });
  }
  override getConfig(): LossConfig {
    return { ...super.getConfig(), from_logits: this.fromLogits, ignore_class: this.ignoreClass };
  }
  static fromConfig(config: LossConfig): SparseCategoricalCrossentropy {
    return new SparseCategoricalCrossentropy({
      ...lossArgs(config),
      fromLogits: opt(config, 'from_logits'),
      ignoreClass: opt(config, 'ignore_class'),
    });
  }
}

export interface BinaryCrossentropyArgs extends LossArgs {
  /** `yPred` holds logits rather than probabilities. @default false */
  fromLogits?: boolean;
  /** Squeeze targets towards 0.5. @default 0.0 */
  labelSmoothing?: number;
  /** The axis averaged over. @default -1 */
  axis?: number;
}

/** Binary crossentropy (Keras `BinaryCrossentropy`). */
export class BinaryCrossentropy extends LossFunctionWrapper {
  static override readonly className: string = 'BinaryCrossentropy';
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor({
    fromLogits = false,
    labelSmoothing = 0.0,
    axis = -1,
    ...args
  }: BinaryCrossentropyArgs = {}) {
    super(
      (t, p) => binaryCrossentropy(t, p, { fromLogits, labelSmoothing, axis }),
      args,
      'binary_crossentropy',
    );
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }
  override getConfig(): LossConfig {
    return {
      ...super.getConfig(),
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
    };
  }
  static fromConfig(config: LossConfig): BinaryCrossentropy {
    return new BinaryCrossentropy({
      ...lossArgs(config),
      fromLogits: opt(config, 'from_logits'),
      labelSmoothing: opt(config, 'label_smoothing'),
      axis: opt(config, 'axis'),
    });
  }
}

export interface BinaryFocalCrossentropyArgs extends BinaryCrossentropyArgs {
  /** Weight positives by `alpha` and negatives by `1 - alpha`. @default false */
  applyClassBalancing?: boolean;
  /** @default 0.25 */
  alpha?: number;
  /** Focusing parameter. @default 2.0 */
  gamma?: number;
}

/** Focal binary crossentropy (Keras `BinaryFocalCrossentropy`). */
export class BinaryFocalCrossentropy extends LossFunctionWrapper {
  static override readonly className: string = 'BinaryFocalCrossentropy';
  readonly applyClassBalancing: boolean;
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor({
    applyClassBalancing = false,
    alpha = 0.25,
    gamma = 2.0,
    fromLogits = false,
    labelSmoothing = 0.0,
    axis = -1,
    ...args
  }: BinaryFocalCrossentropyArgs = {}) {
    super(
      (t, p) =>
        binaryFocalCrossentropy(t, p, {
          applyClassBalancing,
          alpha,
          gamma,
          fromLogits,
          labelSmoothing,
          axis,
        }),
      args,
      'binary_focal_crossentropy',
    );
    this.applyClassBalancing = applyClassBalancing;
    this.alpha = alpha;
    this.gamma = gamma;
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }
  override getConfig(): LossConfig {
    return {
      ...super.getConfig(),
      apply_class_balancing: this.applyClassBalancing,
      alpha: this.alpha,
      gamma: this.gamma,
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
    };
  }
  static fromConfig(config: LossConfig): BinaryFocalCrossentropy {
    return new BinaryFocalCrossentropy({
      ...lossArgs(config),
      applyClassBalancing: opt(config, 'apply_class_balancing'),
      alpha: opt(config, 'alpha'),
      gamma: opt(config, 'gamma'),
      fromLogits: opt(config, 'from_logits'),
      labelSmoothing: opt(config, 'label_smoothing'),
      axis: opt(config, 'axis'),
    });
  }
}

export interface CategoricalFocalCrossentropyArgs extends CategoricalCrossentropyArgs {
  /** @default 0.25 */
  alpha?: number;
  /** Focusing parameter. @default 2.0 */
  gamma?: number;
}

/** Focal categorical crossentropy (Keras `CategoricalFocalCrossentropy`). */
export class CategoricalFocalCrossentropy extends LossFunctionWrapper {
  static override readonly className: string = 'CategoricalFocalCrossentropy';
  readonly alpha: number;
  readonly gamma: number;
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  constructor({
    alpha = 0.25,
    gamma = 2.0,
    fromLogits = false,
    labelSmoothing = 0.0,
    axis = -1,
    ...args
  }: CategoricalFocalCrossentropyArgs = {}) {
    super(
      (t, p) =>
        categoricalFocalCrossentropy(t, p, { alpha, gamma, fromLogits, labelSmoothing, axis }),
      args,
      'categorical_focal_crossentropy',
    );
    this.alpha = alpha;
    this.gamma = gamma;
    this.fromLogits = fromLogits;
    this.labelSmoothing = labelSmoothing;
    this.axis = axis;
  }
  override getConfig(): LossConfig {
    return {
      ...super.getConfig(),
      alpha: this.alpha,
      gamma: this.gamma,
      from_logits: this.fromLogits,
      label_smoothing: this.labelSmoothing,
      axis: this.axis,
    };
  }
  static fromConfig(config: LossConfig): CategoricalFocalCrossentropy {
    return new CategoricalFocalCrossentropy({
      ...lossArgs(config),
      alpha: opt(config, 'alpha'),
      gamma: opt(config, 'gamma'),
      fromLogits: opt(config, 'from_logits'),
      labelSmoothing: opt(config, 'label_smoothing'),
      axis: opt(config, 'axis'),
    });
  }
}

/** Kullback-Leibler divergence (Keras `KLDivergence`). */
export class KLDivergence extends LossFunctionWrapper {
  static override readonly className: string = 'KLDivergence';
  constructor(args: LossArgs = {}) {
    super(klDivergence, args, 'kl_divergence');
  }
  static fromConfig(config: LossConfig): KLDivergence {
    return new KLDivergence(lossArgs(config));
  }
}

/** Poisson loss (Keras `Poisson`). */
export class Poisson extends LossFunctionWrapper {
  static override readonly className: string = 'Poisson';
  constructor(args: LossArgs = {}) {
    super(poisson, args, 'poisson');
  }
  static fromConfig(config: LossConfig): Poisson {
    return new Poisson(lossArgs(config));
  }
}
