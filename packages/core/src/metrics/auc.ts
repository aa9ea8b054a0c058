import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '../engine/layer-variable.js';
import { ValueError } from '../errors/errors.js';
import { type Config, registerKerasClass } from '../saving/registry.js';
import { confusionCounts, evenThresholds, THRESHOLD_EPSILON } from './confusion-matrix.js';
import { asFloat, Metric, type MetricArgs, type MetricInput } from './metric.js';

export interface AUCArgs extends MetricArgs {
  /**
   * Number of thresholds of the Riemann sum (ignored when `thresholds` is given).
   * @default 200
   */
  numThresholds?: number;
  /**
   * 'ROC' (true positive rate over false positive rate) or 'PR' (precision over recall).
   * @default 'ROC'
   */
  curve?: 'ROC' | 'PR';
  /**
   * 'interpolation' (trapezoids for ROC; Davis & Goadrich's interpolation for PR), 'minoring'
   * (left sums) or 'majoring' (right sums).
   * @default 'interpolation'
   */
  summationMethod?: 'interpolation' | 'minoring' | 'majoring';
  /** Explicit thresholds in [0, 1] (0 - eps and 1 + eps are added around them). */
  thresholds?: number[];
  /**
   * Compute one AUC per label (last axis) and average them, instead of flattening.
   * @default false
   */
  multiLabel?: boolean;
  /**
   * Apply a sigmoid to the predictions first.
   * @default false
   */
  fromLogits?: boolean;
}

/**
 * Area under the ROC or PR curve, approximated on a grid of thresholds from accumulated confusion
 * counts (Keras `AUC`, same thresholds and summation), so it can be computed batch by batch.
 */
export class AUC extends Metric {
  static override readonly className: string = 'AUC';
  readonly numThresholds: number;
  readonly curve: 'ROC' | 'PR';
  readonly summationMethod: 'interpolation' | 'minoring' | 'majoring';
  readonly thresholds: number[];
  readonly multiLabel: boolean;
  readonly fromLogits: boolean;
  readonly #explicitThresholds: number[] | undefined;
  #counts?: { tp: LayerVariable; fp: LayerVariable; tn: LayerVariable; fn: LayerVariable };

  constructor({
    numThresholds = 200,
    curve = 'ROC',
    summationMethod = 'interpolation',
    thresholds,
    multiLabel = false,
    fromLogits = false,
    ...args
  }: AUCArgs = {}) {
    super({ name: 'auc', ...args });
    if (curve !== 'ROC' && curve !== 'PR') {
      throw new ValueError(
        `${this.who}: curve must be 'ROC' or 'PR'. Received: curve=${String(curve)}.`,
      );
    }
    if (!['interpolation', 'minoring', 'majoring'].includes(summationMethod)) {
      throw new ValueError(
        `${this.who}: summationMethod must be 'interpolation', 'minoring' or 'majoring'. Received: ${String(summationMethod)}.`,
      );
    }
    if (thresholds) {
      for (const t of thresholds) {
        if (!(t >= 0 && t <= 1))
          throw new ValueError(`${this.who}: thresholds must be in [0, 1]. Received: ${t}.`);
      }
      this.thresholds = [0 - THRESHOLD_EPSILON, ...thresholds, 1 + THRESHOLD_EPSILON];
      this.numThresholds = thresholds.length + 2;
    } else {
      this.thresholds = evenThresholds(numThresholds);
      this.numThresholds = numThresholds;
    }
    this.#explicitThresholds = thresholds;
    this.curve = curve;
    this.summationMethod = summationMethod;
    this.multiLabel = multiLabel;
    this.fromLogits = fromLogits;
    if (!multiLabel) this.#build([this.numThresholds]);
  }

  #build(shape: number[]): void {
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
        sampleWeight,
        multiLabel: this.multiLabel,
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
    const [x, y] =
      this.curve === 'ROC'
        ? [fp.map((v, i) => div(v, v + tn[i]!)), recall]
        : [recall, tp.map((v, i) => div(v, v + fp[i]!))];
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
    return {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      curve: this.curve,
      summation_method: this.summationMethod,
      multi_label: this.multiLabel,
      from_logits: this.fromLogits,
      thresholds: this.#explicitThresholds ?? null,
    };
  }
}

registerKerasClass('keras.metrics', AUC);
