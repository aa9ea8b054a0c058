import { type CallArgs, Layer, type LayerArgs, tf, utils, ValueError, saving } from '@cornu/core';
import { checkRate } from './ragged.js';

type LayerConfig = ReturnType<Layer['getConfig']>;

/** A token as the augmentation layers see it: a word or an id. */
export type Token = string | number;

export interface RandomTokenAugmentArgs extends Omit<LayerArgs, 'dtype'> {
  /** Chance of each token taking part (each of n tokens is drawn; the count is Binomial(n, rate)). */
  rate: number;
  /** Tokens never touched. @default [] */
  skipList?: Token[];
  /** Tokens for which this returns true are never touched. */
  skipFn?: (token: Token) => boolean;
  /** Seed of the layer's random stream. @default a fresh seed from core's `utils.nextSeed()` */
  seed?: number;
}

/** Shared machinery of `RandomDeletion` and `RandomSwap`: eligible positions and seeded draws. */
abstract class RandomTokenAugment extends Layer {
  readonly rate: number;
  readonly skipList: Token[];
  readonly skipFn?: (token: Token) => boolean;
  readonly seed: number;
  protected readonly rng: () => number;

  constructor(args: RandomTokenAugmentArgs) {
    const { rate, skipList = [], skipFn, seed = utils.nextSeed(), ...base } = args;
    super({ ...base, trainable: false });
    checkRate(this.who, 'rate', rate);
    this.rate = rate;
    this.skipList = [...skipList];
    if (skipFn) this.skipFn = skipFn;
    this.seed = seed;
    this.rng = utils.createRng(seed);
  }

  /** Positions of `tokens` that may change. */
  protected eligible(tokens: readonly Token[]): number[] {
    const skip = new Set<Token>(this.skipList);
    const out: number[] = [];
    tokens.forEach((t, i) => {
      if (!skip.has(t) && !(this.skipFn?.(t) ?? false)) out.push(i);
    });
    return out;
  }

  /** Binomial(n, rate) by n Bernoulli draws, capped at `max`. */
  protected drawCount(n: number, max: number | null): number {
    let count = 0;
    for (let i = 0; i < n; i++) if (this.rng() < this.rate) count++;
    return max === null ? count : Math.min(count, max);
  }

  /** Moves a uniform random subset of size `k` to the front of `items` (partial Fisher-Yates). */
  protected sample(items: number[], k: number): number[] {
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.rng() * (items.length - i));
      [items[i], items[j]] = [items[j] as number, items[i] as number];
    }
    return items.slice(0, k);
  }

  /** Transforms one sequence of tokens. */
  protected abstract augmentOne(tokens: Token[]): Token[];

  /** Augments one sequence (`Token[]`) or a batch (`Token[][]`); the input is not modified. */
  augment<T extends Token>(tokens: readonly T[]): T[];
  augment<T extends Token>(tokens: readonly (readonly T[])[]): T[][];
  augment<T extends Token>(tokens: readonly T[] | readonly (readonly T[])[]): T[] | T[][] {
    if (!Array.isArray(tokens)) {
      throw new ValueError(
        `${this.who}: expected an array of tokens or of token arrays, received ${typeof tokens}.`,
      );
    }
    if (tokens.length > 0 && Array.isArray(tokens[0])) {
      return (tokens as readonly (readonly T[])[]).map((row) => this.augmentOne([...row]) as T[]);
    }
    return this.augmentOne([...(tokens as readonly T[])]) as T[];
  }

  /** Layer entry point on a rank-1 tensor (one sequence; a batch has ragged results, use `augment`). */
  override call(inputs: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    if (Array.isArray(inputs) || inputs.rank !== 1) {
      throw new ValueError(
        `${this.who}: expected one rank-1 tensor of tokens (a batch gives ragged rows: call augment(tokens[][])), received ${Array.isArray(inputs) ? `a list of ${inputs.length}` : `shape [${inputs.shape}]`}.`,
      );
    }
    const values = Array.from(inputs.dataSync() as unknown as ArrayLike<Token>);
    const out = this.augmentOne(values);
    return inputs.dtype === 'string'
      ? tf.tensor1d(out as string[], 'string')
      : tf.tensor1d(out as number[], inputs.dtype === 'float32' ? 'float32' : 'int32');
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, skip_list: this.skipList, seed: this.seed };
  }
}

export interface RandomDeletionArgs extends RandomTokenAugmentArgs {
  /** At most this many deletions per sequence. @default null (no limit) */
  maxDeletions?: number | null;
}

/**
 * Deletes random tokens (KerasHub `RandomDeletion`, EDA's random deletion): the number of
 * deletions in a sequence is Binomial(eligible tokens, `rate`) capped at `maxDeletions`, and the
 * deleted tokens are a uniform random subset of the eligible ones. Seeded.
 *
 * @example
 * new RandomDeletion({ rate: 0.3, seed: 1 }).augment(['the', 'quick', 'brown', 'fox']);
 */
export class RandomDeletion extends RandomTokenAugment {
  static override readonly className: string = 'RandomDeletion';
  readonly maxDeletions: number | null;

  constructor(args: RandomDeletionArgs) {
    const { maxDeletions = null, ...rest } = args;
    super(rest);
    if (maxDeletions !== null && (!Number.isInteger(maxDeletions) || maxDeletions < 0)) {
      throw new ValueError(
        `${this.who}: maxDeletions must be a non-negative integer. Received: maxDeletions=${maxDeletions}.`,
      );
    }
    this.maxDeletions = maxDeletions;
  }

  protected augmentOne(tokens: Token[]): Token[] {
    const positions = this.eligible(tokens);
    const count = this.drawCount(positions.length, this.maxDeletions);
    const gone = new Set(this.sample(positions, count));
    return tokens.filter((_, i) => !gone.has(i));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), max_deletions: this.maxDeletions };
  }
}

export interface RandomSwapArgs extends RandomTokenAugmentArgs {
  /** At most this many swaps per sequence. @default null (no limit) */
  maxSwaps?: number | null;
}

/**
 * Swaps random pairs of tokens (KerasHub `RandomSwap`, EDA's random swap): the number of swaps in
 * a sequence is Binomial(eligible tokens, `rate`) capped at `maxSwaps`; each swap exchanges two
 * distinct eligible positions drawn uniformly, one after the other. Seeded.
 */
export class RandomSwap extends RandomTokenAugment {
  static override readonly className: string = 'RandomSwap';
  readonly maxSwaps: number | null;

  constructor(args: RandomSwapArgs) {
    const { maxSwaps = null, ...rest } = args;
    super(rest);
    if (maxSwaps !== null && (!Number.isInteger(maxSwaps) || maxSwaps < 0)) {
      throw new ValueError(
        `${this.who}: maxSwaps must be a non-negative integer. Received: maxSwaps=${maxSwaps}.`,
      );
    }
    this.maxSwaps = maxSwaps;
  }

  protected augmentOne(tokens: Token[]): Token[] {
    const positions = this.eligible(tokens);
    if (positions.length < 2) return tokens;
    const count = this.drawCount(positions.length, this.maxSwaps);
    for (let s = 0; s < count; s++) {
      const [a, b] = this.sample([...positions], 2) as [number, number];
      [tokens[a], tokens[b]] = [tokens[b] as Token, tokens[a] as Token];
    }
    return tokens;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), max_swaps: this.maxSwaps };
  }
}

saving.registerSerializable('keras_hub')(RandomDeletion);
saving.registerSerializable('keras_hub')(RandomSwap);
