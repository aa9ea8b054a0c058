import type { Rng } from '../engine/random.js';
import { logGaussMass, sampleTruncatedNormal, truncatedNormalLogPdf } from './truncated-normal.js';

/**
 * How a Parzen estimator treats one coordinate of Cornu's [0, 1] prior space: a continuous range,
 * a discrete one (Int, stepped Float, ordered Choice: each value owns an interval `bin(x)` of
 * [0, 1] and draws snap to the value's point), or unordered categories.
 */
export type ParzenDimension =
  | { kind: 'continuous' }
  | {
      kind: 'discrete';
      bin: (x: number) => [number, number];
      snap: (x: number) => number;
    }
  | { kind: 'categorical'; size: number };

/** Optuna's `_ParzenEstimatorParameters`, plus Cornu's bandwidth factor. */
export interface ParzenEstimatorParameters {
  /** Weight of the prior kernel among the observations' (0: no prior). */
  priorWeight: number;
  /** Clip bandwidths below at range / min(100, 1 + kernels). */
  considerMagicClip: boolean;
  /** Let the outermost observations' bandwidths reach to the range's ends. */
  considerEndpoints: boolean;
  /** Multiplies every observation kernel's bandwidth (1 in Optuna). */
  bandwidthFactor?: number;
}

/** Optuna's `default_weights`: 1 for the newest 25 observations, a ramp from 1/n below them. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) =>
    n - 25 === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (n - 26),
  );
  return [...ramp, ...new Array<number>(25).fill(1)];
}

function logSumExp(values: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  return max + Math.log(sum);
}

type Factor =
  | { kind: 'numeric'; mus: number[]; sigmas: number[]; dim: ParzenDimension }
  | { kind: 'categorical'; logProbs: number[][]; size: number };

/**
 * A mixture of product kernels over [0, 1]^d, one kernel per observation plus a prior kernel
 * (centre 0.5, bandwidth 1), as Optuna 5's `_ParzenEstimator`: truncated normals whose bandwidth
 * is the larger distance to a neighbouring observation (the range's ends count as neighbours of
 * the outermost ones only with `considerEndpoints`), clipped to [1 / min(100, n + 2), 1] with the
 * magic clip; interval masses for discrete coordinates; and for categories, each observation's
 * category plus `priorWeight / (n + 1)` on every category, normalized. `weights` weigh the
 * observations (the prior gets `priorWeight`).
 */
export class ParzenEstimator {
  /** Normalized log weight of each kernel; the prior's is last. */
  readonly logWeights: number[];
  readonly #weights: number[];
  readonly #factors: Factor[];

  constructor(
    observations: readonly (readonly number[])[],
    weights: readonly number[],
    dims: readonly ParzenDimension[],
    parameters: ParzenEstimatorParameters,
  ) {
    const n = observations.length;
    const { priorWeight, considerMagicClip, considerEndpoints, bandwidthFactor = 1 } = parameters;
    const raw = n === 0 ? [1] : [...weights.slice(0, n), priorWeight];
    const total = raw.reduce((s, w) => s + w, 0);
    this.#weights = raw.map((w) => w / total);
    this.logWeights = this.#weights.map((w) => Math.log(w));
    this.#factors = dims.map((dim, d) => {
      const column = observations.map((o) => o[d]!);
      if (dim.kind === 'categorical') {
        const k = dim.size;
        const rows = column.map((x) => {
          const row = new Array<number>(k).fill(priorWeight / (n + 1));
          row[Math.min(Math.floor(x * k), k - 1)]! += 1;
          return row;
        });
        rows.push(new Array<number>(k).fill(n === 0 ? 1 / k : priorWeight / (n + 1)));
        const logProbs = rows.map((row) => {
          const sum = row.reduce((s, p) => s + p, 0) || 1;
          return row.map((p) => Math.log(p / sum));
        });
        return { kind: 'categorical', logProbs, size: k };
      }
      const sigmas = bandwidths(column, considerEndpoints).map((s) => {
        const min = considerMagicClip ? 1 / Math.min(100, n + 2) : 1e-12;
        return Math.min(Math.max(s, min), 1) * bandwidthFactor;
      });
      return { kind: 'numeric', mus: [...column, 0.5], sigmas: [...sigmas, 1], dim };
    });
  }

  /** Log density (log probability for discrete and categorical coordinates) at a point. */
  logPdf(point: readonly number[]): number {
    const terms = [...this.logWeights];
    this.#factors.forEach((factor, d) => {
      const x = point[d]!;
      if (factor.kind === 'categorical') {
        const index = Math.min(Math.floor(x * factor.size), factor.size - 1);
        for (let k = 0; k < terms.length; k++) terms[k]! += factor.logProbs[k]![index]!;
        return;
      }
      const { mus, sigmas, dim } = factor;
      if (dim.kind === 'discrete') {
        const [lo, hi] = dim.bin(x);
        for (let k = 0; k < terms.length; k++) {
          const mu = mus[k]!;
          const s = sigmas[k]!;
          terms[k]! +=
            logGaussMass((lo - mu) / s, (hi - mu) / s) - logGaussMass(-mu / s, (1 - mu) / s);
        }
        return;
      }
      for (let k = 0; k < terms.length; k++)
        terms[k]! += truncatedNormalLogPdf(x, mus[k]!, sigmas[k]!, 0, 1);
    });
    return logSumExp(terms);
  }

  /** `count` draws: a kernel by weight, then each coordinate from that kernel's factor. */
  sample(rng: Rng, count: number): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < count; i++) {
      const k = pick(this.#weights, rng.next());
      out.push(
        this.#factors.map((factor) => {
          if (factor.kind === 'categorical') {
            const probs = factor.logProbs[k]!.map((l) => Math.exp(l));
            return (pick(probs, rng.next()) + 0.5) / factor.size;
          }
          const v = sampleTruncatedNormal(rng, factor.mus[k]!, factor.sigmas[k]!, 0, 1);
          return factor.dim.kind === 'discrete' ? factor.dim.snap(v) : v;
        }),
      );
    }
    return out;
  }
}

/** Index drawn from (normalized) probabilities with a uniform `u`. */
function pick(probs: readonly number[], u: number): number {
  let r = u;
  for (let i = 0; i < probs.length; i++) {
    r -= probs[i]!;
    if (r < 0) return i;
  }
  return probs.length - 1;
}

/**
 * Optuna's neighbour rule on [0, 1]: each observation's bandwidth is the larger gap to its sorted
 * neighbours, with 0 and 1 at the ends; without `considerEndpoints` (and two or more observations)
 * the outermost ones use the gap to their inner neighbour only.
 */
function bandwidths(mus: readonly number[], considerEndpoints: boolean): number[] {
  const n = mus.length;
  const order = mus.map((_, i) => i).sort((a, b) => mus[a]! - mus[b]!);
  const sorted = [0, ...order.map((i) => mus[i]!), 1];
  const out = new Array<number>(n);
  order.forEach((index, r) => {
    const j = r + 1;
    let sigma = Math.max(sorted[j]! - sorted[j - 1]!, sorted[j + 1]! - sorted[j]!);
    if (!considerEndpoints && n >= 2) {
      if (r === 0) sigma = sorted[2]! - sorted[1]!;
      else if (r === n - 1) sigma = sorted[n]! - sorted[n - 1]!;
    }
    out[index] = sigma;
  });
  return out;
}
