import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '../engine/layer-variable.js';
import { ValueError } from '../errors/errors.js';
import { type Config, registerKerasClass } from '../saving/registry.js';
import {
  confusionCounts,
  evenThresholds,
  isEvenlyDistributed,
  THRESHOLD_EPSILON,
} from './confusion-matrix.js';
import { asFloat, Metric, type MetricArgs, type MetricInput } from './metric.js';

type Curve = 'ROC' | 'PR' | 'PRGAIN';
type Summation = 'interpolation' | 'minoring' | 'majoring';

export interface AUCArgs extends MetricArgs {
  /**
   * Number of thresholds of the Riemann sum (ignored when `thresholds` is given).
   * @default 200
   */
  numThresholds?: number;
  /**
   * 'ROC' (true positive rate over false positive rate), 'PR' (precision over recall) or 'PRGAIN'
   * (precision gain over recall gain, Flach & Kull 2015). Lower case is accepted, as in Keras.
   * @default 'ROC'
   */
  curve?: Curve | 'roc' | 'pr' | 'prgain';
  /**
   * 'interpolation' (trapezoids for ROC; Davis & Goadrich's interpolation for PR), 'minoring'
   * (left sums) or 'majoring' (right sums).
   * @default 'interpolation'
   */
  summationMethod?: Summation;
  /**
   * Explicit thresholds in [0, 1], in any order (they are sorted; 0 - eps and 1 + eps are added
   * around them). When they are evenly spaced the counts follow Keras's bucketing, which clips
   * predictions to [0, 1] first (as with the default grid).
   */
  thresholds?: number[];
  /**
   * Compute one AUC per label (last axis) and average them, instead of flattening.
   * @default false
   */
  multiLabel?: boolean;
  /**
   * Number of labels with `multiLabel` (the state is then created at once instead of on the
   * first batch).
   */
  numLabels?: number;
  /**
   * Non-negative per-label weights: with `multiLabel`, the weights of the per-label AUCs' average;
   * without, weights multiplied into every entry of that label (last axis) when counting.
   */
  labelWeights?: number[];
  /**
   * Apply a sigmoid to the predictions first.
   * @default false
   */
  fromLogits?: boolean;
}

/** Keras writes `label_weights` as a serialized tensor. */
interface TensorDict {
  class_name: '__tensor__';
  config: { value: number[]; dtype: string };
}

function readLabelWeights(value: unknown, who: string): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list =
    typeof value === 'object' && !Array.isArray(value) && 'config' in value
      ? (value as TensorDict).config.value
      : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'number' && v >= 0)) {
    throw new ValueError(
      `${who}: labelWeights must be a list of non-negative numbers. Received: ${JSON.stringify(value)}.`,
    );
  }
  return list as number[];
}

/**
 * Area under the ROC, PR or PR-gain curve, approximated on a grid of thresholds from accumulated
 * confusion counts (Keras `AUC`, same thresholds, counting and summation), so it can be computed
 * batch by batch.
 */
export class AUC extends Metric {
  static override readonly className: string = 'AUC';
  readonly numThresholds: number;
  readonly curve: Curve;
  readonly summationMethod: Summation;
  /** All thresholds, including the two outer ones at -eps and 1 + eps. */
  readonly thresholds: number[];
  readonly multiLabel: boolean;
  readonly numLabels: number | undefined;
  readonly labelWeights: number[] | undefined;
  readonly fromLogits: boolean;
  readonly #explicitThresholds: number[] | undefined;
  readonly #even: boolean;
  #counts?: { tp: LayerVariable; fp: LayerVariable; tn: LayerVariable; fn: LayerVariable };

  constructor({
    numThresholds = 200,
    curve = 'ROC',
    summationMethod = 'interpolation',
    thresholds,
    multiLabel = false,
    numLabels,
    labelWeights,
    fromLogits = false,
    ...args
  }: AUCArgs = {}) {
    super({ name: 'auc', ...args });
    const upper = String(curve).toUpperCase();
    if (upper !== 'ROC' && upper !== 'PR' && upper !== 'PRGAIN') {
      throw new ValueError(
        `${this.who}: curve must be 'ROC', 'PR' or 'PRGAIN'. Received: curve=${String(curve)}.`,
      );
    }
    const summation = String(summationMethod).toLowerCase();
    if (summation !== 'interpolation' && summation !== 'minoring' && summation !== 'majoring') {
      throw new ValueError(
        `${this.who}: summationMethod must be 'interpolation', 'minoring' or 'majoring'. Received: ${String(summationMethod)}.`,
      );
    }
    if (thresholds) {
      for (const t of thresholds) {
        if (!(t >= 0 && t <= 1))
          throw new ValueError(`${this.who}: thresholds must be in [0, 1]. Received: ${t}.`);
      }
      // Keras sorts explicit thresholds (and writes them back sorted).
      const sorted = [...thresholds].sort((a, b) => a - b);
      this.thresholds = [0 - THRESHOLD_EPSILON, ...sorted, 1 + THRESHOLD_EPSILON];
      this.numThresholds = sorted.length + 2;
      this.#explicitThresholds = sorted;
      this.#even = isEvenlyDistributed([0, ...sorted, 1]);
    } else {
      this.thresholds = evenThresholds(numThresholds);
      this.numThresholds = numThresholds;
      this.#even = true;
    }
    if (numLabels !== undefined) {
      if (!multiLabel) {
        throw new ValueError(
          `${this.who}: numLabels is needed only when multiLabel is true. Received: numLabels=${numLabels}, multiLabel=false.`,
        );
      }
      if (!(Number.isInteger(numLabels) && numLabels > 0)) {
        throw new ValueError(
          `${this.who}: numLabels must be a positive integer. Received: numLabels=${numLabels}.`,
        );
      }
    }
    this.curve = upper;
    this.summationMethod = summation;
    this.multiLabel = multiLabel;
    this.numLabels = numLabels;
    this.labelWeights = readLabelWeights(labelWeights, this.who);
    this.fromLogits = fromLogits;
    if (!multiLabel) this.#build([this.numThresholds]);
    else if (numLabels !== undefined) this.#build([this.numThresholds, numLabels]);
  }

  #build(shape: number[]): void {
    if (this.multiLabel && this.labelWeights && this.labelWeights.length !== shape[1]) {
      throw new ValueError(
        `${this.who}: labelWeights has ${this.labelWeights.length} entries for ${shape[1]} labels.`,
      );
    }
    this.#counts = {
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
      let p = asFloat(yPred);
      if (this.fromLogits) p = tf.sigmoid(p);
      if (!this.#counts) this.#build([this.numThresholds, p.shape[p.rank - 1]!]);
      const counts = confusionCounts(yTrue, p, {
        thresholds: this.thresholds,
        evenlyDistributed: this.#even,
        sampleWeight,
        multiLabel: this.multiLabel,
        // With multiLabel the label weights weight the per-label AUCs instead (in result()).
        labelWeights: this.multiLabel ? undefined : this.labelWeights,
      });
      const state = this.#counts!;
      Metric.addTo(state.tp, counts.tp);
      Metric.addTo(state.fp, counts.fp);
      Metric.addTo(state.tn, counts.tn);
      Metric.addTo(state.fn, counts.fn);
    });
  }

  override result(): tf.Tensor {
    if (!this.#counts) return tf.scalar(0);
    const labels = this.multiLabel ? this.#counts.tp.shape[1]! : 1;
    const read = (v: LayerVariable) => v.read().dataSync() as Float32Array;
    const [tp, fp, tn, fn] = [
      read(this.#counts.tp),
      read(this.#counts.fp),
      read(this.#counts.tn),
      read(this.#counts.fn),
    ];
    const aucs: number[] = [];
    for (let l = 0; l < labels; l++) {
      const at = (a: Float32Array) =>
        Array.from({ length: this.numThresholds }, (_, i) => a[i * labels + l]!);
      aucs.push(this.#areaUnderCurve(at(tp), at(fp), at(tn), at(fn)));
    }
    if (this.multiLabel && this.labelWeights) {
      const lw = this.labelWeights;
      const total = lw.reduce((a, b) => a + b, 0);
      return tf.scalar(total === 0 ? 0 : aucs.reduce((a, v, i) => a + v * lw[i]!, 0) / total);
    }
    return tf.scalar(aucs.reduce((a, b) => a + b, 0) / aucs.length);
  }

  #areaUnderCurve(tp: number[], fp: number[], tn: number[], fn: number[]): number {
    const T = this.numThresholds;
    const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') {
      // Davis & Goadrich (2006): precision interpolated along the TP count between thresholds.
      let total = 0;
      for (let i = 0; i < T - 1; i++) {
        const dtp = tp[i]! - tp[i + 1]!;
        const p0 = tp[i]! + fp[i]!;
        const p1 = tp[i + 1]! + fp[i + 1]!;
        const slope = div(dtp, Math.max(p0 - p1, 0));
        const intercept = tp[i + 1]! - slope * p1;
        const ratio = p0 > 0 && p1 > 0 ? div(p0, Math.max(p1, 0)) : 1;
        total += div(
          slope * (dtp + intercept * Math.log(ratio)),
          Math.max(tp[i + 1]! + fn[i + 1]!, 0),
        );
      }
      return total;
    }
    const recall = tp.map((v, i) => div(v, v + fn[i]!));
    let x: number[];
    let y: number[];
    if (this.curve === 'ROC') {
      x = fp.map((v, i) => div(v, v + tn[i]!));
      y = recall;
    } else if (this.curve === 'PR') {
      x = recall;
      y = tp.map((v, i) => div(v, v + fp[i]!));
    } else {
      // Precision-recall gain (Keras): gains scaled by positives / negatives; no true positives
      // gives recall gain 0 and precision gain 1; negative recall gains are clipped to 0.
      const scale = tp.map((v, i) => div(v + fn[i]!, tn[i]! + fp[i]!));
      x = tp.map((v, i) => (v === 0 ? 0 : Math.max(1 - scale[i]! * div(fn[i]!, v), 0)));
      y = tp.map((v, i) => (v === 0 ? 1 : 1 - scale[i]! * div(fp[i]!, v)));
    }
    let total = 0;
    for (let i = 0; i < T - 1; i++) {
      const height =
        this.summationMethod === 'interpolation'
          ? (y[i]! + y[i + 1]!) / 2
          : this.summationMethod === 'minoring'
            ? Math.min(y[i]!, y[i + 1]!)
            : Math.max(y[i]!, y[i + 1]!);
      total += (x[i]! - x[i + 1]!) * height;
    }
    return total;
  }

  override getConfig(): Config {
    const config: Config = {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      curve: this.curve,
      summation_method: this.summationMethod,
      multi_label: this.multiLabel,
      num_labels: this.numLabels ?? null,
      label_weights: this.labelWeights
        ? { class_name: '__tensor__', config: { value: this.labelWeights, dtype: 'float32' } }
        : null,
      from_logits: this.fromLogits,
    };
    // As Keras: `thresholds` only when they were given (sorted, without the outer two).
    if (this.#explicitThresholds) config.thresholds = this.#explicitThresholds;
    return config;
  }
}

registerKerasClass('keras.metrics', AUC);
