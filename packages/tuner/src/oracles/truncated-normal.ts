/**
 * The normal distribution's log tail masses, accurate far into the tails (the TPE's Parzen
 * estimators need the log mass of narrow intervals many standard deviations from a kernel's
 * centre, where `Φ(b) - Φ(a)` computed directly cancels to 0).
 */
import { randomNormal, type Rng } from '../engine/random.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_PI = Math.sqrt(Math.PI);

/** erfc(x) for x >= 2.5 as exp(-x^2) times a continued fraction (modified Lentz), to ~1e-15. */
function logErfcLarge(x: number): number {
  // erfc(x) = exp(-x^2) / sqrt(pi) * 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return -x * x - Math.log(SQRT_PI) - Math.log(f);
}

/** erf(x) for |x| < 2.5 by its Taylor series (terms shrink fast enough for ~1e-15 relative). */
function erfSmall(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= -x2 / n;
    const next = term / (2 * n + 1);
    sum += next;
    if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / SQRT_PI) * sum;
}

/** log Φ(z), the log of the standard normal CDF, without underflow for very negative z. */
export function logNdtr(z: number): number {
  const x = z / Math.SQRT2;
  if (x < -2.5) return logErfcLarge(-x) - Math.LN2;
  if (x < 2.5) return Math.log(0.5 + 0.5 * erfSmall(x));
  return Math.log1p(-0.5 * Math.exp(logErfcLarge(x)));
}

/** log(Φ(b) - Φ(a)) for a <= b, stable on either tail. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) {
    // left tail: log Φ(b) + log(1 - Φ(a)/Φ(b))
    const lb = logNdtr(b);
    return lb + Math.log1p(-Math.exp(logNdtr(a) - lb));
  }
  if (a >= 0) return logGaussMass(-b, -a);
  // straddles 0: 1 - Φ(a) - Φ(-b), both small tails
  return Math.log1p(-Math.exp(logNdtr(a)) - Math.exp(logNdtr(-b)));
}

/** Log density at x of N(mu, sigma^2) truncated to [low, high]. */
export function truncatedNormalLogPdf(
  x: number,
  mu: number,
  sigma: number,
  low: number,
  high: number,
): number {
  if (x < low || x > high) return Number.NEGATIVE_INFINITY;
  const z = (x - mu) / sigma;
  return (
    -0.5 * z * z -
    LOG_SQRT_2PI -
    Math.log(sigma) -
    logGaussMass((low - mu) / sigma, (high - mu) / sigma)
  );
}

/**
 * A draw of N(mu, sigma^2) truncated to [low, high], by rejection (exact; the TPE's kernels keep
 * their centre inside the interval and sigma <= high - low, so each try succeeds with
 * probability > 0.38).
 */
export function sampleTruncatedNormal(
  rng: Rng,
  mu: number,
  sigma: number,
  low: number,
  high: number,
): number {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const v = mu + sigma * randomNormal(rng);
    if (v >= low && v <= high) return v;
  }
  return Math.min(Math.max(mu, low), high);
}
