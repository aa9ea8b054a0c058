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
} from './sampler.js';

export interface BeamSamplerArgs extends SamplerArgs {
  /** Number of beams kept per sequence. @default 5 */
  numBeams?: number;
}

/** Every beam of a beam search, best first. */
export interface BeamSearchResult {
  /** int32 `[batch, numBeams, maxLength]`. */
  sequences: tf.Tensor3D;
  /** float32 `[batch, numBeams]`: each beam's total log-probability, descending. */
  logProbs: tf.Tensor2D;
}

/**
 * Beam search (KerasHub `BeamSampler`): keeps the `numBeams` sequences of highest total
 * log-probability; at each step every beam proposes every token and the best `numBeams`
 * continuations over all beams survive (their caches are gathered along). At the start only the
 * first beam counts (the others are copies). `call` returns the best beam; `callAllBeams` every beam.
 */
export class BeamSampler extends Sampler {
  static override readonly className: string = 'BeamSampler';
  readonly numBeams: number;

  constructor(args: BeamSamplerArgs = {}) {
    super(args);
    const { numBeams = 5 } = args;
    if (!Number.isInteger(numBeams) || numBeams < 1) {
      throw new ValueError(
        `${this.who}: numBeams must be a positive integer. Received: numBeams=${numBeams}.`,
      );
    }
    this.numBeams = numBeams;
  }

  protected nextToken(): number {
    throw new ValueError(`${this.who}: beam search chooses tokens jointly; use call().`);
  }

  override call(args: SamplerCallArgs): tf.Tensor2D {
    const { rows, scores, maxLength } = this.search(args);
    const n = this.numBeams;
    const best = scores.map((s) => s.indexOf(Math.max(...s)));
    const out = best.flatMap((j, b) => rows[b * n + j] as number[]);
    return tf.tensor2d(out, [scores.length, maxLength], 'int32');
  }

  /** Runs the search and returns every beam, sorted by log-probability (best first). */
  callAllBeams(args: SamplerCallArgs): BeamSearchResult {
    const { rows, scores, maxLength } = this.search(args);
    const n = this.numBeams;
    const sequences: number[] = [];
    const logProbs: number[] = [];
    scores.forEach((s, b) => {
      const order = s.map((_, j) => j).sort((x, y) => (s[y] as number) - (s[x] as number) || x - y);
      for (const j of order) {
        sequences.push(...(rows[b * n + j] as number[]));
        logProbs.push(s[j] as number);
      }
    });
    return {
      sequences: tf.tensor3d(sequences, [scores.length, n, maxLength], 'int32'),
      logProbs: tf.tensor2d(logProbs, [scores.length, n], 'float32'),
    };
  }

  private search(args: SamplerCallArgs): {
    rows: number[][];
    scores: number[][];
    maxLength: number;
  } {
    const { next, cache = null, index = 0, stopTokenIds = null } = args;
    const prompt = readPrompt(args.prompt, this.who);
    const promptMask = readMask(args.mask, prompt, this.who);
    const maxLength = (prompt[0] as number[]).length;
    checkIndex(this.who, index, maxLength);
    const batch = prompt.length;
    const n = this.numBeams;
    // Beam b * n + j is beam j of sequence b.
    let rows = prompt.flatMap((r) => Array.from({ length: n }, () => [...r]));
    const mask = promptMask.flatMap((r) => Array.from({ length: n }, () => r));
    let scores: number[][] = prompt.map(() =>
      Array.from({ length: n }, (_, j) => (j === 0 ? 0 : -1e9)),
    );
    const owner = new Ownership(cacheTensors(cache));
    const repeat = tf.tensor1d(
      Array.from({ length: batch * n }, (_, i) => Math.floor(i / n)),
      'int32',
    );
    let current = mapCache(cache, (t) => tf.gather(t, repeat));
    repeat.dispose();
    owner.adopt(cacheTensors(current));
    const next2: NextFn = next;
    try {
      for (let i = index; i < maxLength; i++) {
        if (allStopped(rows, mask, stopTokenIds)) break;
        const ids = tf.tensor2d(rows.flat(), [rows.length, maxLength], 'int32');
        let out: ReturnType<NextFn>;
        try {
          out = next2(ids, current, i);
        } finally {
          ids.dispose();
        }
        const [logits, hidden, nextCache] = out;
        owner.adopt([logits, hidden, ...cacheTensors(nextCache)]);
        const probabilities = this.computeProbabilities(logits);
        const vocab = (probabilities[0] as Float32Array).length;
        const picks: number[] = [];
        const newRows: number[][] = [];
        const newScores: number[][] = [];
        for (let b = 0; b < batch; b++) {
          const candidates: [number, number][] = [];
          for (let j = 0; j < n; j++) {
            const p = probabilities[b * n + j] as Float32Array;
            const base = (scores[b] as number[])[j] as number;
            for (let v = 0; v < vocab; v++)
              candidates.push([base + Math.log(p[v] as number), j * vocab + v]);
          }
          candidates.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
          const s: number[] = [];
          for (const [score, flat] of candidates.slice(0, n)) {
            const beam = Math.floor(flat / vocab);
            const row = [...(rows[b * n + beam] as number[])];
            if (!mask[b * n]?.[i]) row[i] = flat % vocab;
            newRows.push(row);
            picks.push(b * n + beam);
            s.push(score);
          }
          newScores.push(s);
        }
        rows = newRows;
        scores = newScores;
        const gatherIdx = tf.tensor1d(picks, 'int32');
        current = mapCache(nextCache, (t) => tf.gather(t, gatherIdx));
        gatherIdx.dispose();
        owner.adopt(cacheTensors(current));
        owner.release(cacheTensors(current));
      }
    } finally {
      owner.release([]);
    }
    return { rows, scores, maxLength };
  }

  override getConfig(): SamplerConfig {
    return { ...super.getConfig(), num_beams: this.numBeams };
  }
}
