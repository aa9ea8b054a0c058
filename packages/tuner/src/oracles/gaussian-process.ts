import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import type { Rng } from '../engine/random.js';

const SQRT5 = Math.sqrt(5);

/** Matern 5/2 kernel with one length scale per dimension (ARD) and an amplitude. */
export function matern52(
  a: readonly number[],
  b: readonly number[],
  lengthScales: readonly number[],
  amplitude: number,
): number {
  let r2 = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i]! - b[i]!) / lengthScales[i]!;
    r2 += d * d;
  }
  const r = Math.sqrt(r2);
  return amplitude * (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** Kernel hyperparameters of a fitted process. */
export interface GaussianProcessParams {
  lengthScales: number[];
  amplitude: number;
  noise: number;
}

/**
 * A Gaussian process regressor with a Matern 5/2 ARD kernel on standardized targets. The linear
 * algebra (Cholesky factorization and solves) is ml-matrix's. `fit` chooses the length scales and
 * amplitude by maximizing the log marginal likelihood (random restarts, then coordinate search in
 * log space).
 */
export class GaussianProcess {
  #x: number[][] = [];
  #mean = 0;
  #std = 1;
  #chol: CholeskyDecomposition | undefined;
  #alpha: Matrix | undefined;
  params: GaussianProcessParams;

  constructor(
    readonly dims: number,
    readonly noise = 1e-6,
  ) {
    this.params = { lengthScales: new Array(dims).fill(0.3), amplitude: 1, noise };
  }

  #gram(x: number[][], params: GaussianProcessParams): Matrix {
    const n = x.length;
    const k = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        const v = matern52(x[i]!, x[j]!, params.lengthScales, params.amplitude);
        k.set(i, j, v);
        k.set(j, i, v);
      }
      k.set(i, i, k.get(i, i) + params.noise);
    }
    return k;
  }

  /** Log marginal likelihood of standardized targets `y`, or -Infinity when K is not positive definite. */
  #logLikelihood(x: number[][], y: Matrix, params: GaussianProcessParams): number {
    const chol = new CholeskyDecomposition(this.#gram(x, params));
    if (!chol.isPositiveDefinite()) return Number.NEGATIVE_INFINITY;
    const alpha = chol.solve(y);
    let fit = 0;
    for (let i = 0; i < y.rows; i++) fit += y.get(i, 0) * alpha.get(i, 0);
    const l = chol.lowerTriangularMatrix;
    let logDet = 0;
    for (let i = 0; i < y.rows; i++) logDet += Math.log(l.get(i, i));
    return -0.5 * fit - logDet - 0.5 * y.rows * Math.log(2 * Math.PI);
  }

  /**
   * Fits the process to points `x` (in [0, 1]^d) and values `y`: kernel hyperparameters by
   * marginal likelihood, or `params` as given.
   */
  fit(x: number[][], y: number[], rng: Rng, params?: GaussianProcessParams): void {
    this.#x = x.map((row) => [...row]);
    const n = y.length;
    this.#mean = y.reduce((a, b) => a + b, 0) / n;
    const variance = y.reduce((a, b) => a + (b - this.#mean) ** 2, 0) / n;
    this.#std = variance > 0 ? Math.sqrt(variance) : 1;
    const ys = Matrix.columnVector(y.map((v) => (v - this.#mean) / this.#std));

    const logBounds: [number, number] = [Math.log(0.01), Math.log(5)];
    const ampBounds: [number, number] = [Math.log(0.1), Math.log(10)];
    const toParams = (theta: number[]): GaussianProcessParams => ({
      lengthScales: theta.slice(0, this.dims).map(Math.exp),
      amplitude: Math.exp(theta[this.dims]!),
      noise: this.noise,
    });
    if (params) {
      this.params = { ...params, lengthScales: [...params.lengthScales] };
      this.#chol = new CholeskyDecomposition(this.#gram(this.#x, this.params));
      this.#alpha = this.#chol.solve(ys);
      return;
    }
    const score = (theta: number[]): number => this.#logLikelihood(this.#x, ys, toParams(theta));
    let best = [...this.params.lengthScales.map(Math.log), Math.log(this.params.amplitude)];
    let bestScore = score(best);
    for (let restart = 0; restart < 20; restart++) {
      const theta = [
        ...Array.from(
          { length: this.dims },
          () => logBounds[0] + rng.next() * (logBounds[1] - logBounds[0]),
        ),
        ampBounds[0] + rng.next() * (ampBounds[1] - ampBounds[0]),
      ];
      const s = score(theta);
      if (s > bestScore) {
        best = theta;
        bestScore = s;
      }
    }
    for (let step = 1; step > 0.02; step /= 2) {
      let improved = true;
      while (improved) {
        improved = false;
        for (let i = 0; i <= this.dims; i++) {
          const [lo, hi] = i < this.dims ? logBounds : ampBounds;
          for (const delta of [step, -step]) {
            const theta = [...best];
            theta[i] = Math.min(Math.max(theta[i]! + delta, lo), hi);
            const s = score(theta);
            if (s > bestScore + 1e-9) {
              best = theta;
              bestScore = s;
              improved = true;
            }
          }
        }
      }
    }
    this.params = toParams(best);
    this.#chol = new CholeskyDecomposition(this.#gram(this.#x, this.params));
    this.#alpha = this.#chol.solve(ys);
  }

  /** Posterior mean and standard deviation at each point, in the units of the fitted `y`. */
  predict(points: number[][]): { mean: number[]; std: number[] } {
    if (!this.#chol || !this.#alpha) throw new Error('GaussianProcess.predict called before fit');
    const n = this.#x.length;
    const kStar = new Matrix(n, points.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < points.length; j++) {
        kStar.set(
          i,
          j,
          matern52(this.#x[i]!, points[j]!, this.params.lengthScales, this.params.amplitude),
        );
      }
    }
    const v = this.#chol.solve(kStar);
    const mean: number[] = [];
    const std: number[] = [];
    for (let j = 0; j < points.length; j++) {
      let mu = 0;
      let reduction = 0;
      for (let i = 0; i < n; i++) {
        mu += kStar.get(i, j) * this.#alpha.get(i, 0);
        reduction += kStar.get(i, j) * v.get(i, j);
      }
      mean.push(this.#mean + mu * this.#std);
      std.push(Math.sqrt(Math.max(this.params.amplitude - reduction, 1e-12)) * this.#std);
    }
    return { mean, std };
  }
}

/** Standard normal density and distribution function (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
