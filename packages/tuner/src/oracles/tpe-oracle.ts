import { ValueError } from '@cornu/core';
import {
  Choice,
  Float,
  type HyperParameter,
  type HyperParameterValue,
  Int,
} from '../engine/hyperparameters.js';
import { Oracle, type OracleArgs, type Population } from '../engine/oracle.js';
import type { Rng } from '../engine/random.js';
import type { Trial } from '../engine/trial.js';
import {
  defaultWeights,
  type ParzenDimension,
  ParzenEstimator,
  type ParzenEstimatorParameters,
} from './parzen-estimator.js';

/** Arguments of `TPEOracle`; the defaults are Optuna 5's `TPESampler`'s. */
export interface TPEOracleArgs extends OracleArgs {
  /** Random trials before the estimators take over. @default 10 */
  nStartupTrials?: number;
  /** Candidates drawn from the good-trials density per suggestion. @default 24 */
  nEiCandidates?: number;
  /**
   * Model the hyperparameters that every finished trial has jointly (Optuna's
   * `multivariate=True`); the others (conditional ones) are modelled one by one.
   * @default true
   */
  multivariate?: boolean;
  /** Add a prior kernel to each density (Optuna 5 always does). @default true */
  considerPrior?: boolean;
  /** Weight of the prior kernel. @default 1 */
  priorWeight?: number;
  /** Clip bandwidths below at 1 / min(100, n + 2) of the range. @default true */
  considerMagicClip?: boolean;
  /** Let the outermost observations' bandwidths reach the range's ends. @default false */
  considerEndpoints?: boolean;
  /** How many of `n` finished trials count as good. @default n => min(ceil(0.1 n), 25) */
  gamma?: (n: number) => number;
  /**
   * Weights of a group's `n` observations, oldest first.
   * @default Optuna's: 1 for the newest 25, a ramp from 1/n for older ones
   */
  weights?: (n: number) => number[];
  /** Count running trials as bad ones while suggesting (parallel trials spread out). @default true */
  constantLiar?: boolean;
}

/** A finished or running trial as the estimators see it. */
interface Observation {
  /** Creation order. */
  order: number;
  kind: 'complete' | 'pruned' | 'running';
  /** The objective to minimize (score times the objective's sign). */
  loss: number;
  /** For pruned trials: how far they got and their last value (Optuna ranks them by these). */
  lastStep: number;
  lastLoss: number;
  /** Prior-space coordinate of each active hyperparameter. */
  coords: Map<string, number>;
}

const DEFAULT_GAMMA = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

function isSingle(param: HyperParameter): boolean {
  if (param instanceof Int || param instanceof Float) return param.minValue === param.maxValue;
  if (param instanceof Choice) return param.values.length === 1;
  return true;
}

/** How the estimators treat a hyperparameter's [0, 1] coordinate. */
function dimensionOf(param: HyperParameter): ParzenDimension {
  if (param instanceof Choice && !param.ordered)
    return { kind: 'categorical', size: param.values.length };
  if (param.probInterval(param.default) === undefined) return { kind: 'continuous' };
  return {
    kind: 'discrete',
    bin: (x) => param.probInterval(param.probToValue(x))!,
    snap: (x) => param.valueToProb(param.probToValue(x)),
  };
}

/**
 * The tree-structured Parzen estimator (Bergstra et al. 2011) as Optuna 5's `TPESampler`:
 * finished trials split into the best `gamma(n)` and the rest (pruned trials rank after complete
 * ones, the further they got the better; running trials count as bad with `constantLiar`); each
 * group becomes a Parzen estimator over Cornu's [0, 1] prior space (Optuna's internal space up to
 * an affine map for linear and log ranges): truncated-normal kernels with Optuna's
 * neighbour-distance bandwidths and magic clip, interval masses for discrete values, categorical
 * kernels for unordered choices, a prior kernel, and Optuna's observation weights. The next trial
 * is the one of `nEiCandidates` draws from the good density `l` with the largest
 * `log l(x) - log g(x)`. Multivariate by default, as Optuna 5.
 */
export class TPEOracle extends Oracle {
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly multivariate: boolean;
  readonly considerPrior: boolean;
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly gamma: (n: number) => number;
  readonly weights: (n: number) => number[];
  readonly constantLiar: boolean;

  constructor(args: TPEOracleArgs = {}) {
    super(args);
    const {
      nStartupTrials = 10,
      nEiCandidates = 24,
      multivariate = true,
      considerPrior = true,
      priorWeight = 1,
      considerMagicClip = true,
      considerEndpoints = false,
      gamma = DEFAULT_GAMMA,
      weights = defaultWeights,
      constantLiar = true,
    } = args;
    if (!Number.isInteger(nStartupTrials) || nStartupTrials < 0) {
      throw new ValueError(
        `TPEOracle: nStartupTrials must be an integer >= 0. Received: ${nStartupTrials}.`,
      );
    }
    if (!Number.isInteger(nEiCandidates) || nEiCandidates < 1) {
      throw new ValueError(
        `TPEOracle: nEiCandidates must be an integer >= 1. Received: ${nEiCandidates}.`,
      );
    }
    if (!(priorWeight >= 0 && Number.isFinite(priorWeight)))
      throw new ValueError(`TPEOracle: priorWeight must be >= 0. Received: ${priorWeight}.`);
    if (typeof gamma !== 'function')
      throw new ValueError(
        `TPEOracle: gamma must be a function n => count. Received: ${String(gamma)}.`,
      );
    if (typeof weights !== 'function')
      throw new ValueError(
        `TPEOracle: weights must be a function n => number[]. Received: ${String(weights)}.`,
      );
    this.nStartupTrials = nStartupTrials;
    this.nEiCandidates = nEiCandidates;
    this.multivariate = multivariate;
    this.considerPrior = considerPrior;
    this.priorWeight = priorWeight;
    this.considerMagicClip = considerMagicClip;
    this.considerEndpoints = considerEndpoints;
    this.gamma = gamma;
    this.weights = weights;
    this.constantLiar = constantLiar;
  }

  protected populateSpace(_trialId: string, index: number): Population {
    const rng = this.rngFor(index);
    const space = this.tunableSpace().filter((p) => !isSingle(p));
    const observations = this.#observations(space);
    const finished = observations.filter((o) => o.kind !== 'running').length;
    if (space.length > 0 && finished >= this.nStartupTrials) {
      const values = this.#suggest(space, observations, rng);
      if (!this.tried.has(this.key(values))) return { status: 'RUNNING', values };
    }
    const values = this.randomValues(rng);
    return values === null ? { status: 'STOPPED' } : { status: 'RUNNING', values };
  }

  /** Finished trials (and running ones with constantLiar), in creation order. */
  #observations(space: HyperParameter[]): Observation[] {
    const out: Observation[] = [];
    let order = 0;
    for (const trial of this.trials.values()) {
      order++;
      const kind = this.#kindOf(trial);
      if (!kind) continue;
      const hp = trial.hyperparameters;
      const coords = new Map<string, number>();
      for (const param of space) {
        const value = hp.values[param.name];
        if (value !== undefined && hp.has(param.name) && hp.isActive(param.name))
          coords.set(param.name, param.valueToProb(value));
      }
      const series = trial.metrics[this.objective.name] ?? [];
      const last = series[series.length - 1];
      const sign = this.objective.sign;
      out.push({
        order,
        kind,
        loss: (trial.score ?? Number.NaN) * sign,
        lastStep: last?.step ?? -1,
        lastLoss:
          last && Number.isFinite(last.value) ? last.value * sign : Number.POSITIVE_INFINITY,
        coords,
      });
    }
    return out;
  }

  #kindOf(trial: Trial): Observation['kind'] | undefined {
    if (trial.status === 'COMPLETED' && trial.score !== null)
      return trial.pruned ? 'pruned' : 'complete';
    if (trial.status === 'RUNNING' && this.constantLiar) return 'running';
    return undefined;
  }

  /** Optuna's `_split_trials`: the best complete trials, then the furthest pruned ones. */
  #split(observations: Observation[]): [Observation[], Observation[]] {
    const finished = observations.filter((o) => o.kind !== 'running');
    let nBelow = Math.max(0, Math.floor(this.gamma(finished.length)));
    const complete = observations
      .filter((o) => o.kind === 'complete')
      .sort((a, b) => a.loss - b.loss || a.order - b.order);
    const pruned = observations
      .filter((o) => o.kind === 'pruned')
      .sort((a, b) => b.lastStep - a.lastStep || a.lastLoss - b.lastLoss || a.order - b.order);
    const below = complete.slice(0, nBelow);
    nBelow -= below.length;
    below.push(...pruned.slice(0, nBelow));
    const inBelow = new Set(below);
    const above = observations.filter((o) => !inBelow.has(o));
    below.sort((a, b) => a.order - b.order);
    return [below, above];
  }

  #estimator(group: Observation[], space: HyperParameter[]): ParzenEstimator {
    const rows = group.filter((o) => space.every((p) => o.coords.has(p.name)));
    const parameters: ParzenEstimatorParameters = {
      priorWeight: this.considerPrior ? this.priorWeight : 0,
      considerMagicClip: this.considerMagicClip,
      considerEndpoints: this.considerEndpoints,
    };
    const weights = rows.length > 0 ? this.weights(rows.length) : [];
    if (weights.length < rows.length || weights.some((w) => !(w >= 0 && Number.isFinite(w)))) {
      throw new ValueError(
        `TPEOracle: weights(${rows.length}) must give ${rows.length} finite values >= 0. Received: ${JSON.stringify(weights)}.`,
      );
    }
    return new ParzenEstimator(
      rows.map((o) => space.map((p) => o.coords.get(p.name)!)),
      weights,
      space.map(dimensionOf),
      parameters,
    );
  }

  /** The candidate of `nEiCandidates` draws from l that maximizes log l - log g. */
  #best(space: HyperParameter[], below: Observation[], above: Observation[], rng: Rng): number[] {
    const l = this.#estimator(below, space);
    const g = this.#estimator(above, space);
    let best: number[] = [];
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const candidate of l.sample(rng, this.nEiCandidates)) {
      const score = l.logPdf(candidate) - g.logPdf(candidate);
      if (best.length === 0 || score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }

  #suggest(
    space: HyperParameter[],
    observations: Observation[],
    rng: Rng,
  ): Record<string, HyperParameterValue> {
    const [below, above] = this.#split(observations);
    const finished = observations.filter((o) => o.kind !== 'running');
    const hp = this.hyperparameters.copy();
    const chosen = new Map<string, number>();
    if (this.multivariate) {
      // Optuna's intersection search space: what every finished trial has.
      const joint = space.filter((p) => finished.every((o) => o.coords.has(p.name)));
      if (joint.length > 0) {
        const point = this.#best(joint, below, above, rng);
        joint.forEach((p, d) => chosen.set(p.name, point[d]!));
      }
    }
    const searched = new Map(space.map((p) => [p.name, p]));
    for (const param of hp.space) {
      const own = searched.get(param.name);
      if (!own || !hp.isActive(param)) continue;
      // what the joint model did not cover (conditional or new hyperparameters): one at a time
      const x = chosen.get(param.name) ?? this.#best([own], below, above, rng)[0]!;
      hp.values[param.name] = param.probToValue(x);
    }
    return hp.values;
  }
}
