import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '../engine/layer-variable.js';
import { ValueError } from '../errors/errors.js';
import { type Config, registerKerasClass } from '../saving/registry.js';
import { asFloat, Metric, type MetricArgs, type MetricInput } from './metric.js';

const EPSILON = 1e-7;

export interface IoUArgs extends Omit<MetricArgs, 'dtype'> {
  /**
   * The confusion matrix's dtype. Keras's default is 'int32', which truncates fractional sample
   * weights toward zero (0.5 counts as 0, 1.5 as 1); use 'float32' for fractional weights.
   * @default 'int32'
   */
  dtype?: 'int32' | 'float32';
  /** Number of classes (the confusion matrix is numClasses x numClasses). */
  numClasses: number;
  /** Classes whose IoU is averaged. */
  targetClassIds: number[];
  /** A label to leave out (e.g. a void class). */
  ignoreClass?: number | null;
  /**
   * Labels are class ids (true) or one-hot / scores along `axis` (false, argmax taken).
   * @default true
   */
  sparseYTrue?: boolean;
  /**
   * Predictions are class ids (true) or scores along `axis` (false, argmax taken).
   * @default true
   */
  sparseYPred?: boolean;
  /** @default -1 */
  axis?: number;
}

/**
 * Intersection over union per class from an accumulated confusion matrix, averaged over
 * `targetClassIds` (Keras `IoU`): IoU = TP / (TP + FP + FN); classes never seen are skipped.
 * Class ids outside [0, numClasses) (in labels or predictions) are not counted.
 */
export class IoU extends Metric {
  static override readonly className: string = 'IoU';
  readonly numClasses: number;
  readonly targetClassIds: number[];
  readonly ignoreClass: number | null;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  readonly axis: number;
  protected readonly totalConfusionMatrix: LayerVariable;

  constructor({
    numClasses,
    targetClassIds,
    ignoreClass = null,
    sparseYTrue = true,
    sparseYPred = true,
    axis = -1,
    dtype = 'int32',
    ...args
  }: IoUArgs) {
    super({ ...args, dtype });
    if (!(Number.isInteger(numClasses) && numClasses > 0)) {
      throw new ValueError(
        `${this.who}: numClasses must be a positive integer. Received: numClasses=${numClasses}.`,
      );
    }
    for (const id of targetClassIds) {
      if (!(Number.isInteger(id) && id >= 0 && id < numClasses)) {
        throw new ValueError(
          `${this.who}: targetClassIds must be in [0, ${numClasses}). Received: ${id}.`,
        );
      }
    }
    this.numClasses = numClasses;
    this.targetClassIds = targetClassIds;
    this.ignoreClass = ignoreClass;
    this.sparseYTrue = sparseYTrue;
    this.sparseYPred = sparseYPred;
    this.axis = axis;
    this.totalConfusionMatrix = this.addVariable('total_cm', [numClasses, numClasses]);
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput): void {
    if (yPred === undefined)
      throw new ValueError(`${this.who}: updateState needs yTrue and yPred.`);
    tf.tidy(() => {
      let t = asFloat(yTrue);
      let p = asFloat(yPred);
      if (!this.sparseYTrue) t = tf.argMax(t, this.axis);
      if (!this.sparseYPred) p = tf.argMax(p, this.axis);
      const labels = tf.cast(tf.reshape(t, [-1]), 'int32');
      const preds = tf.cast(tf.reshape(p, [-1]), 'int32');
      if (labels.size !== preds.size) {
        throw new ValueError(
          `${this.who}: yTrue and yPred hold ${labels.size} and ${preds.size} class ids; expected the same.`,
        );
      }
      let weights =
        sampleWeight === undefined
          ? tf.onesLike(tf.cast(labels, 'float32'))
          : tf.reshape(asFloat(sampleWeight), [-1]);
      if (weights.size !== labels.size)
        weights = tf.reshape(
          tf.broadcastTo(tf.reshape(weights, [-1, 1]), [weights.size, labels.size / weights.size]),
          [-1],
        );
      // Keras casts the weights to the metric's dtype: int32 truncates toward zero.
      if (this.dtype === 'int32') weights = tf.cast(tf.cast(weights, 'int32'), 'float32');
      if (this.ignoreClass !== null)
        weights = tf.mul(weights, tf.cast(tf.notEqual(labels, this.ignoreClass), 'float32'));
      // confusion[i, j] = sum of weights where label == i and prediction == j.
      const rows = tf.oneHot(labels, this.numClasses);
      const cols = tf.oneHot(preds, this.numClasses);
      const cm = tf.matMul(
        tf.mul(tf.cast(rows, 'float32'), tf.expandDims(weights, 1)),
        tf.cast(cols, 'float32'),
        true,
        false,
      );
      Metric.addTo(this.totalConfusionMatrix, cm);
    });
  }

  override result(): tf.Tensor {
    const cm = this.totalConfusionMatrix.read().arraySync() as number[][];
    // Keras's arithmetic, epsilons included: classes with TP + FP + FN <= 1e-9 are skipped.
    let sum = 0;
    let valid = 0;
    for (const c of this.targetClassIds) {
      const tp = cm[c]![c]!;
      const predicted = cm.reduce((s, row) => s + row[c]!, 0);
      const actual = cm[c]!.reduce((s, v) => s + v, 0);
      const denominator = predicted + actual - tp;
      if (denominator > 1e-9) {
        valid += 1;
        sum += tp / (denominator + EPSILON);
      }
    }
    return tf.scalar(sum / (valid + EPSILON));
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      num_classes: this.numClasses,
      target_class_ids: this.targetClassIds,
      ignore_class: this.ignoreClass,
      sparse_y_true: this.sparseYTrue,
      sparse_y_pred: this.sparseYPred,
      axis: this.axis,
    };
  }
}

export type MeanIoUArgs = Omit<IoUArgs, 'targetClassIds'>;

/** IoU averaged over all classes (Keras `MeanIoU`). */
export class MeanIoU extends IoU {
  static override readonly className: string = 'MeanIoU';
  constructor(args: MeanIoUArgs) {
    super({ ...args, targetClassIds: Array.from({ length: args.numClasses }, (_, i) => i) });
  }
  override getConfig(): Config {
    const config: Config = super.getConfig();
    delete config.target_class_ids;
    return config;
  }
}

export type OneHotArgs<A> = Omit<A, 'sparseYTrue' | 'sparseYPred'> & { sparseYPred?: boolean };

/** IoU of one-hot labels and score predictions (argmax on both; Keras `OneHotIoU`). */
export class OneHotIoU extends IoU {
  static override readonly className: string = 'OneHotIoU';
  constructor({ sparseYPred = false, ...args }: OneHotArgs<IoUArgs>) {
    super({ ...args, sparseYTrue: false, sparseYPred });
  }
  /** Keras's config has no `sparse_y_true` here (the labels are always one-hot). */
  override getConfig(): Config {
    const config: Config = super.getConfig();
    delete config.sparse_y_true;
    return config;
  }
}

/** Mean IoU over all classes of one-hot labels and score predictions (Keras `OneHotMeanIoU`). */
export class OneHotMeanIoU extends MeanIoU {
  static override readonly className: string = 'OneHotMeanIoU';
  constructor({ sparseYPred = false, ...args }: OneHotArgs<MeanIoUArgs>) {
    super({ ...args, sparseYTrue: false, sparseYPred });
  }
  override getConfig(): Config {
    const config: Config = super.getConfig();
    delete config.sparse_y_true;
    return config;
  }
}

for (const cls of [IoU, MeanIoU, OneHotIoU, OneHotMeanIoU])
  registerKerasClass('keras.metrics', cls);
