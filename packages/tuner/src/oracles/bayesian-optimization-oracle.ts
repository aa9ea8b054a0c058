import { ValueError } from '@cornu/core';
import type { HyperParameter, HyperParameterValue } from '../engine/hyperparameters.js';
import { Oracle, type OracleArgs, type Population } from '../engine/oracle.js';
import { randomNormal, type Rng } from '../engine/random.js';
import { GaussianProcess, normalCdf, normalPdf } from './gaussian-process.js';

/** Arguments of `BayesianOptimizationOracle`. */
export interface BayesianOptimizationOracleArgs extends OracleArgs {
  /**
   * Random trials before the Gaussian process takes over.
   * @default 3 x the number of tunable hyperparameters (at least 2)
   */
  numInitialPoints?: number;
  /**
   * Noise variance added to the kernel's diagonal (on standardized objective values).
   * @default 1e-4
   */
  alpha?: number;
  /**
   * Acquisition function: expected improvement, or the upper confidence bound `mean - beta * std`
   * (for a minimized objective) that Keras Tuner uses.
   * @default 'ei'
   */
  acquisition?: 'ei' | 'ucb';
  /** Exploration weight of 'ucb'. @default 2.6 */
  beta?: number;
  /** Random candidates scored per trial before local refinement. @default 2000 */
  numCandidates?: number;
}

/**
 * Bayesian optimization with a Gaussian process (Keras Tuner's `BayesianOptimizationOracle`): each
 * hyperparameter maps to [0, 1] through its prior (`valueToProb`), a Matern 5/2 ARD process fitted
 * by maximum marginal likelihood models the objective, and the next trial maximizes the
 * acquisition (expected improvement by default, or UCB) over random candidates refined by a local
 * coordinate search. Discrete hyperparameters snap to their nearest value.
 */
export class BayesianOptimizationOracle extends Oracle {
  readonly numInitialPoints: number | undefined;
  readonly alpha: number;
  readonly acquisition: 'ei' | 'ucb';
  readonly beta: number;
  readonly numCandidates: number;

  constructor(args: BayesianOptimizationOracleArgs = {}) {
    super(args);
    const {
      numInitialPoints,
      alpha = 1e-4,
      acquisition = 'ei',
      beta = 2.6,
      numCandidates = 2000,
    } = args;
    if (
      numInitialPoints !== undefined &&
      !(Number.isInteger(numInitialPoints) && numInitialPoints >= 1)
    ) {
      throw new ValueError(
        `BayesianOptimizationOracle: numInitialPoints must be an integer >= 1. Received: ${numInitialPoints}.`,
      );
    }
    if (!(alpha > 0))
      throw new ValueError(`BayesianOptimizationOracle: alpha must be > 0. Received: ${alpha}.`);
    if (acquisition !== 'ei' && acquisition !== 'ucb') {
      throw new ValueError(
        `BayesianOptimizationOracle: acquisition must be 'ei' or 'ucb'. Received: ${String(acquisition)}.`,
      );
    }
    this.numInitialPoints = numInitialPoints;
    this.alpha = alpha;
    this.acquisition = acquisition;
    this.beta = beta;
    this.numCandidates = numCandidates;
  }

  protected populateSpace(_trialId: string, index: number): Population {
    const rng = this.rngFor(index);
    const space = this.tunableSpace();
    const { x, y } = this.observations(space);
    const initial = this.numInitialPoints ?? Math.max(2, 3 * space.length);
    if (space.length > 0 && x.length >= initial) {
      const values = this.#suggest(space, x, y, rng);
      if (values && !this.tried.has(this.key(values))) return { status: 'RUNNING', values };
    }
    const values = this.randomValues(rng);
    return values === null ? { status: 'STOPPED' } : { status: 'RUNNING', values };
  }

  #suggest(
    space: HyperParameter[],
    x: number[][],
    y: number[],
    rng: Rng,
  ): Record<string, HyperParameterValue> | null {
    const d = space.length;
    const gp = new GaussianProcess(d, this.alpha);
    gp.fit(x, y, rng);
    const yBest = Math.min(...y);
    const score = (points: number[][]): number[] => {
      const { mean, std } = gp.predict(points);
      return mean.map((mu, i) => {
        const sigma = std[i]!;
        if (this.acquisition === 'ucb') return -(mu - this.beta * sigma);
        const improvement = yBest - mu;
        const z = improvement / sigma;
        return improvement * normalCdf(z) + sigma * normalPdf(z);
      });
    };
    const clip = (v: number): number => Math.min(Math.max(v, 0), 1);
    const candidates: number[][] = [];
    for (let i = 0; i < this.numCandidates; i++)
      candidates.push(Array.from({ length: d }, () => rng.next()));
    const order = y.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    for (const [, i] of order.slice(0, 5)) {
      for (let k = 0; k < 100; k++)
        candidates.push(x[i]!.map((v) => clip(v + 0.05 * randomNormal(rng))));
    }
    const scores = score(candidates);
    const ranked = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
    let bestPoint = candidates[ranked[0]![1]]!;
    let bestScore = ranked[0]![0];
    for (const [startScore, i] of ranked.slice(0, 5)) {
      let point = candidates[i]!;
      let pointScore = startScore;
      for (let step = 0.05; step > 1e-3; step /= 2) {
        let improved = true;
        while (improved) {
          improved = false;
          const moves: number[][] = [];
          for (let j = 0; j < d; j++) {
            for (const delta of [step, -step]) {
              const moved = [...point];
              moved[j] = clip(moved[j]! + delta);
              moves.push(moved);
            }
          }
          const moveScores = score(moves);
          for (let m = 0; m < moves.length; m++) {
            if (moveScores[m]! > pointScore + 1e-12) {
              point = moves[m]!;
              pointScore = moveScores[m]!;
              improved = true;
            }
          }
        }
      }
      if (pointScore > bestScore) {
        bestPoint = point;
        bestScore = pointScore;
      }
    }
    const hp = this.hyperparameters.copy();
    for (const param of hp.space) {
      const j = space.findIndex((p) => p.name === param.name);
      if (j >= 0 && hp.isActive(param)) hp.values[param.name] = param.probToValue(bestPoint[j]!);
    }
    return hp.values;
  }
}
