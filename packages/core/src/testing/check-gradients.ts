import * as tf from '@tensorflow/tfjs-core';
import type { ApplyArgs, Layer } from '../engine/layer.js';
import { tfjsSeed } from '../utils/random.js';

/** Options of `checkGradientsNumerically`. */
export interface GradientCheckOptions {
  /** Central-difference step. @default 1e-2 */
  eps?: number;
  /** Absolute part of the allowed error `atol + rtol * |numeric|`. @default 1e-3 */
  atol?: number;
  /** Relative part of the allowed error `atol + rtol * |numeric|`. @default 1e-2 */
  rtol?: number;
  /** Entries checked per weight (chosen at random, always including the first). @default 6 */
  samplesPerWeight?: number;
  /**
   * Weight names or paths (`'bias'`, `'key/bias'`) whose sampled finite differences may all be ~0
   * (below `atol`); any
   * other weight must move the objective at one sampled entry at least, so that a gradient that is
   * zero where it should not be cannot pass by sampling only flat entries. @default []
   */
  zeroGradientWeights?: string[];
  /** Extra `apply` arguments. @default { training: false } */
  callArgs?: ApplyArgs;
  /** @default 7 */
  seed?: number;
}

/** One checked entry. */
export interface GradientCheckResult {
  weight: string;
  index: number;
  analytic: number;
  numeric: number;
  /** |analytic - numeric|. */
  error: number;
  /** The allowed error for this entry, `atol + rtol * |numeric|`. */
  allowed: number;
}

/**
 * Spot-checks the gradients tfjs computes for a layer against central finite differences of
 * `f(w) = sum(layer(input) * r)` (r fixed random): for sampled entries of every trainable weight,
 * `df/dw ≈ (f(w + eps) - f(w - eps)) / (2 eps)`, and each entry must satisfy
 * `|analytic - numeric| <= atol + rtol * |numeric|`. The objective is accumulated in float64 on
 * the host from float32 outputs; the defaults leave float32 rounding room (measured errors of the
 * core layers are 1e-5..1e-4) yet fail a gradient that is zero, halved or of the wrong sign.
 * Throws with the worst entry if any entry fails, or if a weight's sampled finite differences are
 * all ~0 (unless listed in `zeroGradientWeights`); returns every checked entry otherwise.
 * The layer must accept `input` (it is built on the first call); weights are restored afterwards.
 */
export function checkGradientsNumerically(
  layer: Layer,
  input: tf.Tensor | tf.Tensor[],
  {
    eps = 1e-2,
    atol = 1e-3,
    rtol = 1e-2,
    samplesPerWeight = 6,
    zeroGradientWeights = [],
    callArgs = { training: false },
    seed = 7,
  }: GradientCheckOptions = {},
): GradientCheckResult[] {
  const run = (): tf.Tensor[] => {
    const out = layer.apply(input, callArgs) as tf.Tensor | tf.Tensor[];
    return Array.isArray(out) ? out : [out];
  };
  // Build, then fix the projection r for each output.
  const probe = run();
  const projections = probe.map((o, i) =>
    tf.randomNormal(o.shape, 0, 1, 'float32', tfjsSeed(seed + i)),
  );
  tf.dispose(probe);
  const objective = (): number => {
    const outs = run();
    let total = 0;
    outs.forEach((o, i) => {
      const values = o.dataSync();
      const r = (projections[i] as tf.Tensor).dataSync();
      for (let k = 0; k < values.length; k++) total += (values[k] as number) * (r[k] as number);
    });
    tf.dispose(outs);
    return total;
  };
  const weights = layer.trainableWeights;
  if (weights.length === 0) {
    tf.dispose(projections);
    throw new Error(
      `checkGradientsNumerically(${layer.name}): the layer has no trainable weights to check.`,
    );
  }
  const results: GradientCheckResult[] = [];
  const flat: string[] = [];
  try {
    const { value, grads } = tf.variableGrads(
      () => {
        const terms = run().map((o, i) => tf.sum(tf.mul(o, projections[i] as tf.Tensor)));
        return terms.reduce((a, b) => tf.add(a, b)) as tf.Scalar;
      },
      weights.map((w) => w.value),
    );
    value.dispose();
    let rng = seed;
    const random = () => {
      rng = (rng * 1103515245 + 12345) % 2147483648;
      return rng / 2147483648;
    };
    for (const w of weights) {
      const grad = grads[w.value.name];
      const analyticAll = grad ? grad.dataSync().slice() : new Float32Array(w.size);
      const original = w.value.dataSync().slice();
      const indices = new Set<number>([0]);
      while (indices.size < Math.min(samplesPerWeight, w.size))
        indices.add(Math.floor(random() * w.size));
      let moves = false;
      for (const index of indices) {
        const at = (delta: number): number => {
          const changed = original.slice();
          changed[index] = (changed[index] as number) + delta;
          const t = tf.tensor(changed, w.shape, w.dtype);
          w.value.assign(t);
          t.dispose();
          return objective();
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        const analytic = analyticAll[index] as number;
        const error = Math.abs(analytic - numeric);
        const allowed = atol + rtol * Math.abs(numeric);
        if (Math.abs(numeric) > atol) moves = true;
        results.push({ weight: w.path, index, analytic, numeric, error, allowed });
      }
      if (
        !moves &&
        !zeroGradientWeights.some((n) => n === w.name || n === w.path || w.path.endsWith(`/${n}`))
      )
        flat.push(w.path);
      const restore = tf.tensor(original, w.shape, w.dtype);
      w.value.assign(restore);
      restore.dispose();
    }
    tf.dispose(Object.values(grads));
  } finally {
    tf.dispose(projections);
  }
  const worst = results.reduce<GradientCheckResult | undefined>(
    (a, b) => (!a || b.error / b.allowed > a.error / a.allowed ? b : a),
    undefined,
  );
  if (worst && worst.error > worst.allowed) {
    throw new Error(
      `checkGradientsNumerically(${layer.name}): gradient of '${worst.weight}' at index ${worst.index} is ${worst.analytic}, finite differences give ${worst.numeric} (error ${worst.error.toExponential(2)} > allowed ${worst.allowed.toExponential(2)} = atol ${atol} + rtol ${rtol} * |numeric|).`,
    );
  }
  if (flat.length > 0) {
    throw new Error(
      `checkGradientsNumerically(${layer.name}): finite differences of ${flat.map((p) => `'${p}'`).join(', ')} are below atol ${atol} at every sampled entry, so the check proves nothing there. Fix: sample more entries (samplesPerWeight), change the input, or list the weight name in zeroGradientWeights if its gradient is zero by design.`,
    );
  }
  return results;
}
