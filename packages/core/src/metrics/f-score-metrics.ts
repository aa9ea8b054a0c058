import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '../engine/layer-variable.js';
import { ValueError } from '../errors/errors.js';
import { type Config, registerKerasClass } from '../saving/registry.js';
import { asFloat, Metric, type MetricArgs, type MetricInput } from './metric.js';

const EPSILON = 1e-7;

export interface FBetaScoreArgs extends MetricArgs {
  /**
   * How per-class scores combine: null (one per class), 'micro' (global counts), 'macro' (mean) or
   * 'weighted' (mean weighted by each class's support).
   * @default null
   */
  average?: 'micro' | 'macro' | 'weighted' | null;
  /**
   * Weight of recall relative to precision.
   * @default 1
   */
  beta?: number;
  /**
   * Predictions above it are positive; null marks each row's largest prediction (ties: all of
   * them; an all-zero row: none) as positive.
   * @default null
   */
  threshold?: number | null;
}

/**
 * F-beta score (Keras `FBetaScore`) over one-hot / multi-label `[batch, classes]` inputs:
 * `(1 + beta^2) * precision * recall / (beta^2 * precision + recall)`.
 */
export class FBetaScore extends Metric {
  static override readonly className: string = 'FBetaScore';
  readonly average: 'micro' | 'macro' | 'weighted' | null;
  readonly beta: number;
  readonly threshold: number | null;
  #state?: { tp: LayerVariable; fp: LayerVariable; fn: LayerVariable; support: LayerVariable };

  constructor({ average = null, beta = 1, threshold = null, ...args }: FBetaScoreArgs = {}) {
    super({ name: 'fbeta_score', ...args });
    if (![null, 'micro', 'macro', 'weighted'].includes(average)) {
      throw new ValueError(
        `${this.who}: average must be null, 'micro', 'macro' or 'weighted'. Received: ${String(average)}.`,
      );
    }
    if (!(beta > 0)) throw new ValueError(`${this.who}: beta must be > 0. Received: beta=${beta}.`);
    if (threshold !== null && !(threshold > 0 && threshold <= 1)) {
      throw new ValueError(
        `${this.who}: threshold must be in (0, 1] or null. Received: threshold=${threshold}.`,
      );
    }
    this.average = average;
    this.beta = beta;
    this.threshold = threshold;
  }

  override updateState(yTrue: MetricInput, yPred?: MetricInput, sampleWeight?: MetricInput): void {
    if (yPred === undefined)
      throw new ValueError(`${this.who}: updateState needs yTrue and yPred.`);
    tf.tidy(() => {
      const t = asFloat(yTrue);
      let p = asFloat(yPred);
      if (t.rank !== 2 || p.rank !== 2 || !tf.util.arraysEqual(t.shape, p.shape)) {
        throw new ValueError(
          `${this.who}: expected yTrue and yPred of the same shape [batch, classes]. Received [${t.shape}] and [${p.shape}].`,
        );
      }
      if (!this.#state) {
        const shape = this.average === 'micro' ? [] : [t.shape[1]!];
        this.#state = {
          tp: this.addVariable('true_positives', shape),
          fp: this.addVariable('false_positives', shape),
          fn: this.addVariable('false_negatives', shape),
          support: this.addVariable('intermediate_weights', shape),
        };
      }
      // Without a threshold each row's maximum is positive, unless it is 0 (|p| <= 1e-9, as
      // Keras): an all-zero row predicts nothing rather than every class.
      p =
        this.threshold === null
          ? tf.cast(
              tf.logicalAnd(tf.greaterEqual(p, tf.max(p, -1, true)), tf.greater(tf.abs(p), 1e-9)),
              'float32',
            )
          : tf.cast(tf.greater(p, this.threshold), 'float32');
      const w = sampleWeight === undefined ? undefined : tf.reshape(asFloat(sampleWeight), [-1, 1]);
      const total = (x: tf.Tensor) => {
        const weighted = w ? tf.mul(x, w) : x;
        return this.average === 'micro' ? tf.sum(weighted) : tf.sum(weighted, 0);
      };
      const s = this.#state;
      Metric.addTo(s.tp, total(tf.mul(p, t)));
      Metric.addTo(s.fp, total(tf.mul(p, tf.sub(1, t))));
      Metric.addTo(s.fn, total(tf.mul(tf.sub(1, p), t)));
      Metric.addTo(s.support, total(t));
    });
  }

  override result(): tf.Tensor {
    const s = this.#state;
    if (!s) return tf.scalar(0);
    return tf.tidy(() => {
      const tp = s.tp.read();
      const precision = tf.div(tp, tf.add(tf.add(tp, s.fp.read()), EPSILON));
      const recall = tf.div(tp, tf.add(tf.add(tp, s.fn.read()), EPSILON));
      const b2 = this.beta * this.beta;
      const f = tf.mul(
        tf.div(tf.mul(precision, recall), tf.add(tf.add(tf.mul(precision, b2), recall), EPSILON)),
        1 + b2,
      );
      if (this.average === 'weighted') {
        const support = s.support.read();
        return tf.sum(tf.mul(f, tf.div(support, tf.add(tf.sum(support), EPSILON))));
      }
      return this.average === null ? f : tf.mean(f);
    });
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      average: this.average,
      beta: this.beta,
      threshold: this.threshold,
    };
  }
}

export type F1ScoreArgs = Omit<FBetaScoreArgs, 'beta'>;

/** F1 score: the harmonic mean of precision and recall (FBetaScore with beta = 1). */
export class F1Score extends FBetaScore {
  static override readonly className: string = 'F1Score';
  constructor(args: F1ScoreArgs = {}) {
    super({ name: 'f1_score', ...args, beta: 1 });
  }
  override getConfig(): Config {
    const config: Config = super.getConfig();
    delete config.beta;
    return config;
  }
}

registerKerasClass('keras.metrics', FBetaScore);
registerKerasClass('keras.metrics', F1Score);
