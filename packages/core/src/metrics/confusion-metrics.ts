import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '../engine/layer-variable.js';
import { ValueError } from '../errors/errors.js';
import { type Config, registerKerasClass } from '../saving/registry.js';
import { confusionCounts, isEvenlyDistributed } from './confusion-matrix.js';
import { divideNoNan, Metric, type MetricArgs, type MetricInput } from './metric.js';

export interface ThresholdsArgs extends MetricArgs {
  /**
   * One threshold or a list: a prediction above it counts as positive. With a list, `result()`
   * returns one value per threshold. A list evenly spaced over [0, 1] (`[0, 0.5, 1]`, ...) is
   * counted as Keras does then: predictions are clipped to [0, 1] first.
   * @default 0.5 (or -Infinity with `topK`)
   */
  thresholds?: number | number[];
}

function checkThresholds(thresholds: number[], who: string): number[] {
  for (const t of thresholds) {
    if (!(t >= 0 && t <= 1) && t !== Number.NEGATIVE_INFINITY) {
      throw new ValueError(
        `${who}: thresholds must be in [0, 1]. Received: thresholds=[${thresholds}].`,
      );
    }
  }
  return thresholds;
}

const asList = (t: number | number[]) => (Array.isArray(t) ? t : [t]);

/** Base of TruePositives & co: one weighted count per threshold. */
abstract class ConfusionCount extends Metric {
  readonly thresholds: number[];
  protected readonly accumulator: LayerVariable;
  protected abstract readonly which: 'tp' | 'fp' | 'tn' | 'fn';
  /** The `thresholds` argument as given: Keras writes it back unchanged (null when omitted). */
  readonly #initThresholds: number | number[] | undefined;
  readonly #even: boolean;

  constructor({ thresholds, ...args }: ThresholdsArgs = {}) {
    super(args);
    this.#initThresholds = thresholds;
    this.thresholds = checkThresholds(asList(thresholds ?? 0.5), this.who);
    this.#even = isEvenlyDistributed(this.thresholds);
    this.accumulator = this.addVariable('accumulator', [this.thresholds.length]);
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput): void {
    if (yPred === undefined)
      throw new ValueError(`${this.who}: updateState needs yTrue and yPred.`);
    tf.tidy(() => {
      const counts = confusionCounts(yTrue, yPred, {
        thresholds: this.thresholds,
        evenlyDistributed: this.#even,
        sampleWeight,
      });
      Metric.addTo(this.accumulator, counts[this.which]);
    });
  }

  override result(): tf.Tensor {
    return tf.tidy(() =>
      this.thresholds.length === 1
        ? tf.reshape(this.accumulator.read(), [])
        : tf.clone(this.accumulator.read()),
    );
  }

  override getConfig(): Config {
    return { ...super.getConfig(), thresholds: this.#initThresholds ?? null };
  }
}

/** Weighted count of true positives (label non-zero, prediction above the threshold). */
export class TruePositives extends ConfusionCount {
  static override readonly className: string = 'TruePositives';
  protected readonly which = 'tp';
}
/** Weighted count of false positives. */
export class FalsePositives extends ConfusionCount {
  static override readonly className: string = 'FalsePositives';
  protected readonly which = 'fp';
}
/** Weighted count of true negatives. */
export class TrueNegatives extends ConfusionCount {
  static override readonly className: string = 'TrueNegatives';
  protected readonly which = 'tn';
}
/** Weighted count of false negatives. */
export class FalseNegatives extends ConfusionCount {
  static override readonly className: string = 'FalseNegatives';
  protected readonly which = 'fn';
}

export interface PrecisionRecallArgs extends ThresholdsArgs {
  /**
   * Only each row's `topK` largest predictions can be positive: exactly `topK` of them, ties going
   * to the lower index (Keras `top_k`).
   */
  topK?: number;
  /** Score only this class (column) of `[batch, classes]` inputs. */
  classId?: number;
}

/** Base of Precision and Recall: tp plus fp or fn per threshold. */
abstract class PrecisionRecallBase extends Metric {
  readonly thresholds: number[];
  readonly topK: number | undefined;
  readonly classId: number | undefined;
  protected readonly truePositives: LayerVariable;
  protected readonly other: LayerVariable;
  protected abstract readonly otherKind: 'fp' | 'fn';
  readonly #initThresholds: number | number[] | undefined;
  readonly #even: boolean;

  constructor({ thresholds, topK, classId, ...args }: PrecisionRecallArgs, otherName: string) {
    super(args);
    const fallback = topK === undefined ? 0.5 : Number.NEGATIVE_INFINITY;
    this.#initThresholds = thresholds;
    this.thresholds = checkThresholds(asList(thresholds ?? fallback), this.who);
    this.#even = isEvenlyDistributed(this.thresholds);
    this.topK = topK;
    this.classId = classId;
    this.truePositives = this.addVariable('true_positives', [this.thresholds.length]);
    this.other = this.addVariable(otherName, [this.thresholds.length]);
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput): void {
    if (yPred === undefined)
      throw new ValueError(`${this.who}: updateState needs yTrue and yPred.`);
    tf.tidy(() => {
      const counts = confusionCounts(yTrue, yPred, {
        thresholds: this.thresholds,
        evenlyDistributed: this.#even,
        topK: this.topK,
        classId: this.classId,
        sampleWeight,
      });
      Metric.addTo(this.truePositives, counts.tp);
      Metric.addTo(this.other, counts[this.otherKind]);
    });
  }

  override result(): tf.Tensor {
    return tf.tidy(() => {
      const tp = this.truePositives.read();
      const value = divideNoNan(tp, tf.add(tp, this.other.read()));
      return this.thresholds.length === 1 ? tf.reshape(value, []) : value;
    });
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      thresholds: this.#initThresholds ?? null,
      top_k: this.topK ?? null,
      class_id: this.classId ?? null,
    };
  }
}

/** tp / (tp + fp): the fraction of positive predictions that are right. */
export class Precision extends PrecisionRecallBase {
  static override readonly className: string = 'Precision';
  protected readonly otherKind = 'fp';
  constructor(args: PrecisionRecallArgs = {}) {
    super(args, 'false_positives');
  }
}

/** tp / (tp + fn): the fraction of positive labels that are found. */
export class Recall extends PrecisionRecallBase {
  static override readonly className: string = 'Recall';
  protected readonly otherKind = 'fn';
  constructor(args: PrecisionRecallArgs = {}) {
    super(args, 'false_negatives');
  }
}

for (const cls of [
  TruePositives,
  FalsePositives,
  TrueNegatives,
  FalseNegatives,
  Precision,
  Recall,
]) {
  registerKerasClass('keras.metrics', cls);
}
