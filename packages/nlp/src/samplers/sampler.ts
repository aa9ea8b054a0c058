import { tf, utils, ValueError } from '@cornu/core';

/** A decoding cache: any tensors with the batch on axis 0 (a tensor, a list or a record of them). */
export type SamplerCache = tf.Tensor | tf.Tensor[] | { [key: string]: tf.Tensor } | null;

/**
 * The next-token function a sampler drives (KerasHub's contract): given the ids so far (int32
 * `[batch, maxLength]`), the cache and the position `index` to fill, returns the logits of the
 * token at `index` (`[batch, vocab]`), the hidden state of the last consumed token
 * (`[batch, hidden]`, or null when not needed) and the updated cache. The sampler owns and
 * disposes the returned tensors; it never disposes the prompt, cache or mask its caller passed.
 */
export type NextFn = (
  prompt: tf.Tensor,
  cache: SamplerCache,
  index: number,
) => [logits: tf.Tensor, hiddenStates: tf.Tensor | null, cache: SamplerCache];

/** Arguments of `sampler.call`. */
export interface SamplerCallArgs {
  next: NextFn;
  /** Ids `[batch, maxLength]`; positions from `index` on are generated. */
  prompt: tf.Tensor | readonly (readonly number[])[];
  /** Initial cache for `next`. @default null */
  cache?: SamplerCache;
  /** First position to generate. @default 0 */
  index?: number;
  /** True where `prompt` must be kept (never overwritten). @default all false */
  mask?: tf.Tensor | readonly (readonly boolean[])[] | null;
  /** Generation stops once every sequence has produced one of these ids at an unmasked position. @default null */
  stopTokenIds?: readonly number[] | null;
  /** Hidden states of the prompt `[batch, maxLength, hidden]` (ContrastiveSampler). @default null */
  hiddenStates?: tf.Tensor | null;
}

export interface SamplerArgs {
  /** Logits are divided by this before the softmax. @default 1 */
  temperature?: number;
}

/** Sampler config: Keras snake_case keys. */
export type SamplerConfig = { [key: string]: number | boolean | string | null };

/** The tensors of a cache, flattened. */
export function cacheTensors(cache: SamplerCache): tf.Tensor[] {
  if (cache === null || cache === undefined) return [];
  if (cache instanceof tf.Tensor) return [cache];
  if (Array.isArray(cache)) return cache;
  return Object.values(cache);
}

/** Applies `fn` to every tensor of a cache, keeping its structure. */
export function mapCache(cache: SamplerCache, fn: (t: tf.Tensor) => tf.Tensor): SamplerCache {
  if (cache === null || cache === undefined) return null;
  if (cache instanceof tf.Tensor) return fn(cache);
  if (Array.isArray(cache)) return cache.map(fn);
  const out: { [key: string]: tf.Tensor } = {};
  for (const [k, v] of Object.entries(cache)) out[k] = fn(v);
  return out;
}

/**
 * Tracks which tensors a sampler owns: everything `next` returns, except what its caller passed in.
 * `release` frees owned tensors no longer referenced by `keep`.
 */
export class Ownership {
  private readonly foreign: Set<tf.Tensor>;
  private owned = new Set<tf.Tensor>();
  constructor(callerTensors: (tf.Tensor | null | undefined)[]) {
    this.foreign = new Set(callerTensors.filter((t): t is tf.Tensor => t instanceof tf.Tensor));
  }
  adopt(tensors: (tf.Tensor | null | undefined)[]): void {
    for (const t of tensors) if (t instanceof tf.Tensor && !this.foreign.has(t)) this.owned.add(t);
  }
  release(keep: tf.Tensor[]): void {
    const k = new Set(keep);
    for (const t of this.owned) {
      if (!k.has(t)) {
        t.dispose();
        this.owned.delete(t);
      }
    }
  }
}

/** Rows of a 2-D id/bool input. */
export function readPrompt(prompt: SamplerCallArgs['prompt'], who: string): number[][] {
  const rows =
    prompt instanceof tf.Tensor
      ? prompt.rank === 2
        ? (prompt.arraySync() as number[][])
        : null
      : prompt.map((r) => [...r]);
  if (rows === null || rows.length === 0) {
    throw new ValueError(
      `${who}: prompt must be ids of shape [batch, maxLength]; received ${prompt instanceof tf.Tensor ? `shape [${prompt.shape}]` : 'an empty list'}.`,
    );
  }
  const length = (rows[0] as number[]).length;
  if (rows.some((r) => r.length !== length)) {
    throw new ValueError(`${who}: every prompt row must have the same length.`);
  }
  return rows;
}

export function readMask(
  mask: SamplerCallArgs['mask'],
  rows: number[][],
  who: string,
): boolean[][] {
  if (mask === null || mask === undefined) return rows.map((r) => r.map(() => false));
  const m =
    mask instanceof tf.Tensor
      ? (mask.arraySync() as (number | boolean)[][]).map((r) => r.map((v) => Boolean(v)))
      : mask.map((r) => [...r]);
  if (m.length !== rows.length || m.some((r, i) => r.length !== (rows[i] as number[]).length)) {
    throw new ValueError(
      `${who}: mask must have the prompt's shape [${rows.length}, ${rows[0]?.length}].`,
    );
  }
  return m;
}

/** KerasHub's stop check: every row holds a stop id at a position outside the mask. */
export function allStopped(
  rows: number[][],
  mask: boolean[][],
  stopTokenIds: readonly number[] | null | undefined,
): boolean {
  if (!stopTokenIds || stopTokenIds.length === 0) return false;
  const stops = new Set(stopTokenIds);
  return rows.every((row, b) => row.some((id, i) => stops.has(id) && !mask[b]?.[i]));
}

/** Draws an index from unnormalised non-negative weights. */
export function drawIndex(weights: ArrayLike<number>, rng: () => number): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] as number;
  let u = rng() * total;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (w <= 0) continue;
    last = i;
    u -= w;
    if (u < 0) return i;
  }
  return last;
}

/** Indices of the `k` largest values, largest first (ties: lower index first). */
export function topKIndices(values: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
  return idx.slice(0, k);
}

/**
 * Base of the samplers (KerasHub `Sampler`): runs the decoding loop over a next-token function,
 * filling `prompt` from `index` until `maxLength` or until every row has produced a stop token.
 * Subclasses choose a token from each row's probabilities (`softmax(logits / temperature)`).
 */
export abstract class Sampler {
  static readonly className: string = 'Sampler';
  readonly temperature: number;

  constructor({ temperature = 1 }: SamplerArgs = {}) {
    if (!(typeof temperature === 'number' && temperature > 0)) {
      throw new ValueError(
        `${this.who}: temperature must be a positive number. Received: temperature=${temperature}.`,
      );
    }
    this.temperature = temperature;
  }

  protected get who(): string {
    return (this.constructor as typeof Sampler).className;
  }

  /** `softmax(logits / temperature)` of `[batch, vocab]` logits, as rows. */
  computeProbabilities(logits: tf.Tensor): Float32Array[] {
    const rows = logits.rank === 3 ? logits.shape[0] : logits.shape[0];
    const vocab = logits.shape[logits.rank - 1] as number;
    if (logits.rank < 2 || logits.size !== rows * vocab) {
      throw new ValueError(
        `${this.who}: next() must return logits of shape [batch, vocab]; received shape [${logits.shape}].`,
      );
    }
    const flat = tf.tidy(() =>
      tf.softmax(tf.div(tf.reshape(tf.cast(logits, 'float32'), [rows, vocab]), this.temperature)),
    );
    const data = flat.dataSync() as Float32Array;
    flat.dispose();
    return Array.from({ length: rows }, (_, r) => data.slice(r * vocab, (r + 1) * vocab));
  }

  /** The chosen id for one row of probabilities. */
  protected abstract nextToken(probabilities: Float32Array): number;

  /** Generates; returns int32 ids of the prompt's shape. */
  call(args: SamplerCallArgs): tf.Tensor2D {
    const { next, cache = null, index = 0, stopTokenIds = null } = args;
    const rows = readPrompt(args.prompt, this.who);
    const mask = readMask(args.mask, rows, this.who);
    const maxLength = (rows[0] as number[]).length;
    checkIndex(this.who, index, maxLength);
    const owner = new Ownership(cacheTensors(cache));
    let current = cache;
    try {
      for (let i = index; i < maxLength; i++) {
        if (allStopped(rows, mask, stopTokenIds)) break;
        const prompt = tf.tensor2d(rows.flat(), [rows.length, maxLength], 'int32');
        let out: ReturnType<NextFn>;
        try {
          out = next(prompt, current, i);
        } finally {
          prompt.dispose();
        }
        const [logits, hidden, nextCache] = out;
        owner.adopt([logits, hidden, ...cacheTensors(nextCache)]);
        current = nextCache;
        const probabilities = this.computeProbabilities(logits);
        owner.release(cacheTensors(current));
        rows.forEach((row, b) => {
          if (!mask[b]?.[i]) row[i] = this.nextToken(probabilities[b] as Float32Array);
        });
      }
    } finally {
      owner.release([]);
    }
    return tf.tensor2d(rows.flat(), [rows.length, maxLength], 'int32');
  }

  getConfig(): SamplerConfig {
    return { temperature: this.temperature };
  }

  /** Rebuilds a sampler from `getConfig()` output (snake_case keys). */
  static fromConfig<T extends Sampler>(this: new (args: never) => T, config: SamplerConfig): T {
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) {
      if (v !== null) args[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
    }
    return new this(args as never);
  }
}

export function checkIndex(who: string, index: number, maxLength: number): void {
  if (!Number.isInteger(index) || index < 0 || index > maxLength) {
    throw new ValueError(
      `${who}: index must be an integer in [0, ${maxLength}]. Received: index=${index}.`,
    );
  }
}

/** Seed handling shared by the random samplers. */
export function seededRng(seed: number | undefined): { seed: number; rng: () => number } {
  const s = seed ?? utils.nextSeed();
  return { seed: s, rng: utils.createRng(s) };
}
