import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '../engine/layer-variable.js';
import { ValueError } from '../errors/errors.js';
import { type Config, registerKerasClass } from '../saving/registry.js';
import { confusionCounts, evenThresholds } from './confusion-matrix.js';
import { configToArgs, Metric, type MetricArgs, type MetricInput } from './metric.js';

export interface AtValueArgs extends MetricArgs {
  /**
   * Number of thresholds to search (1 means the single threshold 0.5).
   * @default 200
   */
  numThresholds?: number;
  /** Score only this class (column) of `[batch, classes]` inputs. */
  classId?: number;
}

type Rates = { tp: number[]; fp: number[]; tn: number[]; fn: number[] };
const div = (a: number, b: number) => (b === 0 ? 0 : a / b);

/**
 * Base of the "best X where Y >= value" metrics (Keras `SensitivitySpecificityBase`): confusion
 * counts on a threshold grid, then the maximum of the dependent rate over the thresholds whose
 * constrained rate meets `value` (0 when none does).
 */
abstract class ConstrainedRateMetric extends Metric {
  readonly value: number;
  readonly numThresholds: number;
  readonly classId: number | undefined;
  readonly thresholds: number[];
  protected readonly counts: {
    tp: LayerVariable;
    fp: LayerVariable;
    tn: LayerVariable;
    fn: LayerVariable;
  };

  constructor(value: number, { numThresholds = 200, classId, ...args }: AtValueArgs) {
    super(args);
    if (!(value >= 0 && value <= 1)) {
      const key = (this.constructor as unknown as { valueKey: string }).valueKey;
      throw new ValueError(`${this.who}: ${key} must be in [0, 1]. Received: ${key}=${value}.`);
    }
    this.value = value;
    this.numThresholds = numThresholds;
    this.classId = classId;
    // Keras: 0, 1/(T-1), ..., 1 with no epsilon outside (unlike AUC), counted by its bucketing
    // path, so a prediction of exactly 0 is negative everywhere and predictions are clipped to
    // [0, 1]. A single threshold is 0.5, compared directly.
    this.thresholds =
      numThresholds === 1
        ? [0.5]
        : evenThresholds(numThresholds).map((t, i) =>
            i === 0 ? 0 : i === numThresholds - 1 ? 1 : t,
          );
    const shape = [this.thresholds.length];
    this.counts = {
      tp: this.addVariable('true_positives', shape),
      fp: this.addVariable('false_positives', shape),
      tn: this.addVariable('true_negatives', shape),
      fn: this.addVariable('false_negatives', shape),
    };
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput): void {
    if (yPred === undefined)
      throw new ValueError(`${this.who}: updateState needs yTrue and yPred.`);
    tf.tidy(() => {
      const c = confusionCounts(yTrue, yPred, {
        thresholds: this.thresholds,
        evenlyDistributed: this.numThresholds > 1,
        classId: this.classId,
        sampleWeight,
      });
      Metric.addTo(this.counts.tp, c.tp);
      Metric.addTo(this.counts.fp, c.fp);
      Metric.addTo(this.counts.tn, c.tn);
      Metric.addTo(this.counts.fn, c.fn);
    });
  }

  /** [constrained, dependent] rate per threshold. */
  protected abstract rates(r: Rates): [number[], number[]];

  override result(): tf.Tensor {
    const read = (v: LayerVariable) => Array.from(v.read().dataSync());
    const [constrained, dependent] = this.rates({
      tp: read(this.counts.tp),
      fp: read(this.counts.fp),
      tn: read(this.counts.tn),
      fn: read(this.counts.fn),
    });
    let best = Number.NEGATIVE_INFINITY;
    constrained.forEach((c, i) => {
      if (c >= this.value && dependent[i]! > best) best = dependent[i]!;
    });
    return tf.scalar(best === Number.NEGATIVE_INFINITY ? 0 : best);
  }

  static override fromConfig(config: Config): Metric {
    const key = (this as unknown as { valueKey: string }).valueKey;
    const { [key]: value, ...rest } = configToArgs(config);
    const cls = this as unknown as new (value: number, args: AtValueArgs) => Metric;
    return new cls(value as number, rest as AtValueArgs);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      class_id: this.classId ?? null,
      [(this.constructor as unknown as { valueKey: string }).valueKey]: this.value,
    };
  }
}

const sensitivity = (r: Rates) => r.tp.map((v, i) => div(v, v + r.fn[i]!));
const specificity = (r: Rates) => r.tn.map((v, i) => div(v, v + r.fp[i]!));
const precision = (r: Rates) => r.tp.map((v, i) => div(v, v + r.fp[i]!));

/** Best sensitivity (recall) over thresholds whose specificity is >= `specificity`. */
export class SensitivityAtSpecificity extends ConstrainedRateMetric {
  static override readonly className: string = 'SensitivityAtSpecificity';
  static readonly valueKey = 'specificity';
  constructor(specificityValue: number, args: AtValueArgs = {}) {
    super(specificityValue, args);
  }
  protected rates(r: Rates): [number[], number[]] {
    return [specificity(r), sensitivity(r)];
  }
}

/** Best specificity over thresholds whose sensitivity is >= `sensitivity`. */
export class SpecificityAtSensitivity extends ConstrainedRateMetric {
  static override readonly className: string = 'SpecificityAtSensitivity';
  static readonly valueKey = 'sensitivity';
  constructor(sensitivityValue: number, args: AtValueArgs = {}) {
    super(sensitivityValue, args);
  }
  protected rates(r: Rates): [number[], number[]] {
    return [sensitivity(r), specificity(r)];
  }
}

/** Best precision over thresholds whose recall is >= `recall`. */
export class PrecisionAtRecall extends ConstrainedRateMetric {
  static override readonly className: string = 'PrecisionAtRecall';
  static readonly valueKey = 'recall';
  constructor(recall: number, args: AtValueArgs = {}) {
    super(recall, args);
  }
  protected rates(r: Rates): [number[], number[]] {
    return [sensitivity(r), precision(r)];
  }
}

/** Best recall over thresholds whose precision is >= `precision`. */
export class RecallAtPrecision extends ConstrainedRateMetric {
  static override readonly className: string = 'RecallAtPrecision';
  static readonly valueKey = 'precision';
  constructor(precisionValue: number, args: AtValueArgs = {}) {
    super(precisionValue, args);
  }
  protected rates(r: Rates): [number[], number[]] {
    return [precision(r), sensitivity(r)];
  }
}

for (const cls of [
  SensitivityAtSpecificity,
  SpecificityAtSensitivity,
  PrecisionAtRecall,
  RecallAtPrecision,
]) {
  registerKerasClass('keras.metrics', cls);
}
