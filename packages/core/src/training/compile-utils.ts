import * as tf from '@tensorflow/tfjs-core';
import { camelToSnake } from '../engine/naming.js';
import { ValueError } from '../errors/errors.js';
import { get as getLoss } from '../losses/get.js';
import { Loss, type LossFunction } from '../losses/loss.js';
import { BinaryCrossentropy, SparseCategoricalCrossentropy } from '../losses/probabilistic.js';
import {
  BinaryAccuracy,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
} from '../metrics/accuracy-metrics.js';
import { get as getMetric } from '../metrics/get.js';
import type { Metric } from '../metrics/metric.js';
import { Mean } from '../metrics/reduction-metrics.js';

/** A loss by name ('sparseCategoricalCrossentropy' or Keras snake_case), object or function. */
export type LossIdentifier = string | Loss | LossFunction;
/** A metric by name ('accuracy', 'mae', 'sparse_categorical_accuracy') or object. */
export type MetricIdentifier = string | Metric;
/** Per-output values: one for every output, a list in output order, or a record by output name. */
export type PerOutput<T> = T | T[] | Record<string, T>;
/** Metrics: a list applied to every output, a list of lists, or a record by output name. */
export type MetricsSpec =
  | MetricIdentifier[]
  | MetricIdentifier[][]
  | Record<string, MetricIdentifier | MetricIdentifier[]>;

function perOutput<T>(
  spec: PerOutput<T> | undefined,
  outputNames: string[],
  what: string,
  isLeaf: (v: unknown) => boolean,
): (T | null)[] {
  const n = outputNames.length;
  if (spec === undefined || spec === null) return new Array(n).fill(null);
  if (isLeaf(spec)) return new Array(n).fill(spec as T);
  if (Array.isArray(spec)) {
    if (spec.length !== n) {
      throw new ValueError(
        `compile: ${what} is a list of ${spec.length} entries but the model has ${n} outputs (${outputNames.map((o) => `'${o}'`).join(', ')}).`,
      );
    }
    return spec as T[];
  }
  const record = spec as Record<string, T>;
  for (const key of Object.keys(record)) {
    if (!outputNames.includes(key)) {
      throw new ValueError(
        `compile: ${what} names an unknown output '${key}'. Expected one of: ${outputNames.map((o) => `'${o}'`).join(', ')}.`,
      );
    }
  }
  return outputNames.map((name) => record[name] ?? null);
}

const isLossLeaf = (v: unknown) =>
  typeof v === 'string' || typeof v === 'function' || v instanceof Loss;

/** The compiled loss: one loss (and weight) per output, per-output trackers for multi-output models. */
export class CompiledLoss {
  losses: (Loss | null)[] = [];
  weights: number[] = [];
  trackers: (Mean | null)[] = [];
  private built = false;

  constructor(
    readonly spec: PerOutput<LossIdentifier> | undefined,
    readonly lossWeights: number[] | Record<string, number> | undefined,
  ) {}

  build(outputNames: string[]): void {
    if (this.built) return;
    this.losses = perOutput(this.spec, outputNames, 'loss', isLossLeaf).map((l) =>
      l == null ? null : getLoss(l),
    );
    this.weights = perOutput(
      this.lossWeights as PerOutput<number> | undefined,
      outputNames,
      'lossWeights',
      (v) => typeof v === 'number',
    ).map((w) => w ?? 1);
    const multi = outputNames.length > 1;
    this.trackers = this.losses.map((l, i) =>
      multi && l ? new Mean({ name: `${outputNames[i]}_loss` }) : null,
    );
    this.built = true;
  }

  /** The weighted sum of the per-output losses; updates the per-output trackers (unweighted). */
  call(
    yTrue: tf.Tensor[],
    yPred: tf.Tensor[],
    sampleWeight: tf.Tensor[] | null,
    batchSize: number,
    masks: (tf.Tensor | null)[],
  ): tf.Scalar | null {
    let total: tf.Scalar | null = null;
    this.losses.forEach((loss, i) => {
      if (!loss) return;
      const t = yTrue[i];
      const p = yPred[i];
      if (!t || !p) {
        throw new ValueError(
          `fit: the loss of output ${i} needs targets, but y has ${yTrue.length} entries.`,
        );
      }
      const raw = loss.call(t, p, sampleWeight?.[i] ?? null, masks[i] ?? null);
      // As Keras 3: the per-output trackers ('output_a_loss') log the loss before lossWeights.
      this.trackers[i]?.updateState(raw, tf.scalar(batchSize));
      const value = tf.mul(raw, this.weights[i]!) as tf.Scalar;
      total = total ? (tf.add(total, value) as tf.Scalar) : value;
    });
    return total;
  }
}

function resolveAccuracy(
  name: string,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  loss: Loss | null,
): Metric {
  const classes = yPred.shape[yPred.rank - 1];
  if (classes === 1 || loss instanceof BinaryCrossentropy) return new BinaryAccuracy({ name });
  const sparse =
    loss instanceof SparseCategoricalCrossentropy ||
    yTrue.rank === yPred.rank - 1 ||
    (yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1);
  return sparse ? new SparseCategoricalAccuracy({ name }) : new CategoricalAccuracy({ name });
}

/** The compiled metrics: resolved on the first batch ('accuracy' picks binary/categorical/sparse). */
export class CompiledMetrics {
  /** Per output: [metric, weighted] pairs. */
  perOutput: { metric: Metric; weighted: boolean; logName: string }[][] = [];
  private built = false;

  constructor(
    readonly spec: MetricsSpec | undefined,
    readonly weightedSpec: MetricsSpec | undefined,
  ) {}

  get isBuilt(): boolean {
    return this.built;
  }

  build(
    outputNames: string[],
    yTrue: tf.Tensor[],
    yPred: tf.Tensor[],
    losses: (Loss | null)[],
  ): void {
    if (this.built) return;
    const multi = outputNames.length > 1;
    const resolve = (spec: MetricsSpec | undefined): MetricIdentifier[][] => {
      if (spec === undefined) return outputNames.map(() => []);
      if (Array.isArray(spec)) {
        const nested = spec.some((s) => Array.isArray(s));
        if (nested)
          return perOutput(spec as MetricIdentifier[][], outputNames, 'metrics', () => false).map(
            (m) => m ?? [],
          );
        return outputNames.map(() => spec as MetricIdentifier[]);
      }
      return perOutput(
        spec as Record<string, MetricIdentifier[]>,
        outputNames,
        'metrics',
        () => false,
      ).map((m) => (m == null ? [] : Array.isArray(m) ? m : [m]));
    };
    const plain = resolve(this.spec);
    const weighted = resolve(this.weightedSpec);
    this.perOutput = outputNames.map((outputName, i) => {
      const make = (id: MetricIdentifier, isWeighted: boolean) => {
        const lower = typeof id === 'string' ? id.toLowerCase() : '';
        const metric =
          lower === 'accuracy' || lower === 'acc'
            ? resolveAccuracy(id as string, yTrue[i]!, yPred[i]!, losses[i] ?? null)
            : getMetric(id);
        // As Keras 3: a metric given by name logs under that name ('mae'), in snake_case.
        const base = typeof id === 'string' ? camelToSnake(id) : metric.name;
        return { metric, weighted: isWeighted, logName: multi ? `${outputName}_${base}` : base };
      };
      return [
        ...plain[i]!.map((id) => make(id, false)),
        ...weighted[i]!.map((id) => make(id, true)),
      ];
    });
    this.built = true;
  }

  update(
    yTrue: tf.Tensor[],
    yPred: tf.Tensor[],
    sampleWeight: tf.Tensor[] | null,
    masks: (tf.Tensor | null)[],
  ): void {
    this.perOutput.forEach((metrics, i) => {
      const t = yTrue[i];
      const p = yPred[i];
      if (!t || !p) return;
      const mask = masks[i] ?? null;
      for (const { metric, weighted } of metrics) {
        let sw: tf.Tensor | undefined = weighted ? (sampleWeight?.[i] ?? undefined) : undefined;
        if (mask) sw = sw ? tf.mul(sw, tf.cast(mask, 'float32')) : tf.cast(mask, 'float32');
        metric.updateState(t, p, sw);
      }
    });
  }

  get metrics(): Metric[] {
    return this.perOutput.flat().map((m) => m.metric);
  }

  results(into: Record<string, tf.Tensor>): void {
    for (const { metric, logName } of this.perOutput.flat()) into[logName] = metric.result();
  }
}
