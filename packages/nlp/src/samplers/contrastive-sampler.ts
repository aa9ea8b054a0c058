import { tf, ValueError } from '@cornu/core';
import {
  allStopped,
  cacheTensors,
  checkIndex,
  mapCache,
  type NextFn,
  Ownership,
  readMask,
  readPrompt,
  Sampler,
  type SamplerArgs,
  type SamplerCallArgs,
  type SamplerConfig,
  topKIndices,
} from './sampler.js';

export interface ContrastiveSamplerArgs extends SamplerArgs {
  /** Number of most probable candidates scored at each step. @default 5 */
  k?: number;
  /** Weight of the degeneration penalty (max cosine similarity to earlier hidden states). @default 0.6 */
  alpha?: number;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb));
}

/**
 * Contrastive search (KerasHub `ContrastiveSampler`, Su et al. 2022): the `k` most probable tokens
 * are each run through `next` once more; each candidate scores
 * `(1 - alpha) x probability - alpha x max cosine similarity of its hidden state to the hidden
 * states of the earlier positions`, and the best one is kept (with its logits, hidden state and
 * cache, so no step is computed twice). Needs `hiddenStates` (`[batch, maxLength, hidden]`) for
 * the prompt. `next` is also called with `index = maxLength` on the last step.
 */
export class ContrastiveSampler extends Sampler {
  static override readonly className: string = 'ContrastiveSampler';
  readonly k: number;
  readonly alpha: number;

  constructor(args: ContrastiveSamplerArgs = {}) {
    super(args);
    const { k = 5, alpha = 0.6 } = args;
    if (!Number.isInteger(k) || k < 1) {
      throw new ValueError(`${this.who}: k must be a positive integer. Received: k=${k}.`);
    }
    if (!(alpha >= 0 && alpha <= 1)) {
      throw new ValueError(`${this.who}: alpha must be in [0, 1]. Received: alpha=${alpha}.`);
    }
    this.k = k;
    this.alpha = alpha;
  }

  protected nextToken(): number {
    throw new ValueError(`${this.who}: contrastive search scores candidates jointly; use call().`);
  }

  override call(args: SamplerCallArgs): tf.Tensor2D {
    const { next, cache = null, index = 0, stopTokenIds = null, hiddenStates = null } = args;
    if (!(hiddenStates instanceof tf.Tensor) || hiddenStates.rank !== 3) {
      throw new ValueError(
        `${this.who}: needs hiddenStates of shape [batch, maxLength, hidden] for the prompt; received ${hiddenStates instanceof tf.Tensor ? `shape [${hiddenStates.shape}]` : String(hiddenStates)}.`,
      );
    }
    let rows = readPrompt(args.prompt, this.who);
    const mask = readMask(args.mask, rows, this.who);
    const maxLength = (rows[0] as number[]).length;
    checkIndex(this.who, index, maxLength);
    const batch = rows.length;
    const hidden = hiddenStates.arraySync() as number[][][];
    const owner = new Ownership(cacheTensors(cache));
    const run = (prompt: number[][], c: typeof cache, i: number): ReturnType<NextFn> => {
      const ids = tf.tensor2d(prompt.flat(), [prompt.length, maxLength], 'int32');
      try {
        const out = next(ids, c, i);
        owner.adopt([out[0], out[1], ...cacheTensors(out[2])]);
        return out;
      } finally {
        ids.dispose();
      }
    };
    try {
      let [logits, , current] = run(rows, cache, index);
      const k = this.k;
      for (let i = index; i < maxLength; i++) {
        if (allStopped(rows, mask, stopTokenIds)) break;
        const probabilities = this.computeProbabilities(logits);
        const vocab = (probabilities[0] as Float32Array).length;
        const kk = Math.min(k, vocab);
        const tops = probabilities.map((p) => topKIndices(p, kk));
        const beams = rows.flatMap((row, b) =>
          (tops[b] as number[]).map((token) => {
            const r = [...row];
            if (!mask[b]?.[i]) r[i] = token;
            return r;
          }),
        );
        const repeat = tf.tensor1d(
          Array.from({ length: batch * kk }, (_, j) => Math.floor(j / kk)),
          'int32',
        );
        const beamCache = mapCache(current, (t) => tf.gather(t, repeat));
        repeat.dispose();
        owner.adopt(cacheTensors(beamCache));
        const [nextLogits, nextHidden, nextCache] = run(beams, beamCache, i + 1);
        if (!(nextHidden instanceof tf.Tensor)) {
          throw new ValueError(
            `${this.who}: next() must return hidden states of shape [batch, hidden].`,
          );
        }
        const candidates = nextHidden.arraySync() as number[][];
        const best: number[] = [];
        for (let b = 0; b < batch; b++) {
          let bestScore = Number.NEGATIVE_INFINITY;
          let bestJ = 0;
          for (let j = 0; j < kk; j++) {
            const h = candidates[b * kk + j] as number[];
            let maxSim = 0;
            if (i > 0) {
              maxSim = Number.NEGATIVE_INFINITY;
              for (let t = 0; t < i; t++)
                maxSim = Math.max(maxSim, cosine(hidden[b]?.[t] ?? [], h));
            }
            const prob = (probabilities[b] as Float32Array)[
              (tops[b] as number[])[j] as number
            ] as number;
            const score = (1 - this.alpha) * prob - this.alpha * maxSim;
            if (score > bestScore) {
              bestScore = score;
              bestJ = j;
            }
          }
          best.push(b * kk + bestJ);
          const row = hidden[b] as number[][];
          row[i] = candidates[b * kk + bestJ] as number[];
        }
        rows = best.map((j) => beams[j] as number[]);
        const idx = tf.tensor1d(best, 'int32');
        logits = tf.gather(nextLogits, idx);
        current = mapCache(nextCache, (t) => tf.gather(t, idx));
        idx.dispose();
        owner.adopt([logits, ...cacheTensors(current)]);
        owner.release([logits, ...cacheTensors(current)]);
      }
    } finally {
      owner.release([]);
    }
    return tf.tensor2d(rows.flat(), [batch, maxLength], 'int32');
  }

  override getConfig(): SamplerConfig {
    return { ...super.getConfig(), k: this.k, alpha: this.alpha };
  }
}
