/** Samplers built on a uniform [0, 1) stream (the layers' seeded streams). */

/** A standard normal draw (Box-Muller). */
export function sampleNormal(uniform: () => number): number {
  const u = Math.max(uniform(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** A Gamma(shape, 1) draw (Marsaglia and Tsang; shape < 1 boosted by U^(1/shape)). */
export function sampleGamma(uniform: () => number, shape: number): number {
  if (shape < 1) return sampleGamma(uniform, shape + 1) * Math.max(uniform(), 1e-12) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(uniform);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniform();
    if (
      u < 1 - 0.0331 * x ** 4 ||
      Math.log(Math.max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + Math.log(v))
    )
      return d * v;
  }
}

/** A Beta(a, b) draw. */
export function sampleBeta(uniform: () => number, a: number, b: number): number {
  const x = sampleGamma(uniform, a);
  const y = sampleGamma(uniform, b);
  return x + y === 0 ? 0.5 : x / (x + y);
}

/** A Dirichlet(alpha, ..., alpha) draw of `k` weights. */
export function sampleDirichlet(uniform: () => number, alpha: number, k: number): number[] {
  const g = Array.from({ length: k }, () => sampleGamma(uniform, alpha));
  const total = g.reduce((s, v) => s + v, 0) || 1;
  return g.map((v) => v / total);
}

/** A random permutation of 0..n-1 (Fisher-Yates). */
export function samplePermutation(uniform: () => number, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}
