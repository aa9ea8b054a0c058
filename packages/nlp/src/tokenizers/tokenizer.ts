import { type CallArgs, Layer, tf, ValueError } from '@cornu/core';

/** A Keras layer config (snake_case keys, JSON values), as core's `Layer.getConfig` returns. */
type LayerConfig = ReturnType<Layer['getConfig']>;

/** `tokenize(text)` output: ids, or an int32 Tensor1D when the tokenizer has a `sequenceLength`. */
export type TokenIds<S extends number | undefined> = S extends number ? tf.Tensor1D : number[];
/** `tokenize(texts)` output: ids per text, or a padded int32 Tensor2D with a `sequenceLength`. */
export type BatchTokenIds<S extends number | undefined> = S extends number
  ? tf.Tensor2D
  : number[][];

/** Ids with the span of the input text each one came from. */
export interface TokenizedWithOffsets {
  ids: number[];
  /** `[start, end)` UTF-16 indices into the input string, one pair per id. */
  offsets: [number, number][];
}

/** A tokenizer's serialized form: Keras snake_case keys. */
export type TokenizerConfig = LayerConfig;

export interface TokenizerArgs<S extends number | undefined = undefined> {
  /** Layer name. @default snake_case of the class name */
  name?: string;
  /**
   * Pad or truncate every output to this length; `tokenize` then returns an int32 tensor.
   * @default undefined
   */
  sequenceLength?: S;
  /**
   * Token strings that may appear whole in the input and map to their own id
   * (with `specialTokensInStrings`), and that `detokenize` can skip.
   * @default []
   */
  specialTokens?: string[];
  /** Match `specialTokens` inside input strings instead of tokenizing their characters. @default false */
  specialTokensInStrings?: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Base of every Cornu tokenizer: string in, int ids out, and back.
 *
 * Subclasses implement `encodeSegment` (one piece of text without special tokens), `decodeIds`,
 * the vocabulary accessors and `getConfig`. The base adds batching, padding to `sequenceLength`,
 * special tokens inside strings, offsets, and the layer entry point: a tokenizer is a core `Layer`
 * (no weights, int32 output), so `apply` on a string tensor (or a string `Input`) works in a model.
 */
export abstract class Tokenizer<S extends number | undefined = undefined> extends Layer {
  static override readonly className: string = 'Tokenizer';
  readonly sequenceLength: S;
  readonly specialTokens: readonly string[];
  readonly specialTokensInStrings: boolean;
  /** Id written after the end of a sequence shorter than `sequenceLength`. */
  padId = 0;
  private specialPattern: RegExp | null = null;
  private specialIds: Map<string, number> | null = null;

  constructor(args: TokenizerArgs<S>) {
    const { name, sequenceLength, specialTokens = [], specialTokensInStrings = false } = args;
    super({ ...(name === undefined ? {} : { name }), trainable: false, dtype: 'int32' });
    if (sequenceLength !== undefined && (!Number.isInteger(sequenceLength) || sequenceLength < 1)) {
      throw new ValueError(
        `${this.className}: sequenceLength must be a positive integer. Received: sequenceLength=${sequenceLength}.`,
      );
    }
    this.sequenceLength = sequenceLength as S;
    this.specialTokens = [...specialTokens];
    this.specialTokensInStrings = specialTokensInStrings;
  }

  /** Number of ids this tokenizer can produce. */
  abstract vocabularySize(): number;
  /** The token string of `id`; throws a ValueError for an id outside the vocabulary. */
  abstract idToToken(id: number): string;
  /** The id of `token`; throws a ValueError for a token outside the vocabulary. */
  abstract tokenToId(token: string): number;
  /** The whole vocabulary, ordered by id. */
  abstract getVocabulary(): string[];

  /**
   * Appends the ids of `text` (which holds no special tokens) to `ids` and, when `offsets` is
   * given, their `[start, end)` spans (shifted by `base`) as flat pairs.
   * `isFirst` is true for the first segment of an input string.
   */
  protected abstract encodeSegment(
    text: string,
    ids: number[],
    offsets: number[] | null,
    base: number,
    isFirst: boolean,
  ): void;

  /** Text of a list of ids. */
  protected abstract decodeIds(ids: readonly number[]): string;

  /** Configuration for `fromConfig`, in Keras snake_case keys. */
  override getConfig(): TokenizerConfig {
    return {
      name: this.name,
      trainable: false,
      dtype: 'int32',
      sequence_length: this.sequenceLength ?? null,
      special_tokens: [...this.specialTokens],
      special_tokens_in_strings: this.specialTokensInStrings,
    };
  }

  /** Arguments common to every tokenizer, read back from a config. */
  protected static baseArgs(config: TokenizerConfig): TokenizerArgs<number | undefined> {
    const seq = config.sequence_length;
    return {
      ...(typeof config.name === 'string' ? { name: config.name } : {}),
      sequenceLength: typeof seq === 'number' ? seq : undefined,
      specialTokens: Array.isArray(config.special_tokens)
        ? (config.special_tokens as string[])
        : [],
      specialTokensInStrings: config.special_tokens_in_strings === true,
    };
  }

  /** Ids of the special tokens, in `specialTokens` order. */
  get specialTokenIds(): number[] {
    return this.specialTokens.map((t) => this.tokenToId(t));
  }

  private specialMatcher(): { pattern: RegExp; ids: Map<string, number> } | null {
    if (!this.specialTokensInStrings || this.specialTokens.length === 0) return null;
    if (this.specialPattern === null || this.specialIds === null) {
      const sorted = [...this.specialTokens].sort((a, b) => b.length - a.length);
      this.specialPattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
      this.specialIds = new Map(sorted.map((t) => [t, this.tokenToId(t)]));
    }
    return { pattern: this.specialPattern, ids: this.specialIds };
  }

  private encodeText(text: string, offsets: number[] | null): number[] {
    if (typeof text !== 'string') {
      throw new ValueError(
        `${this.className}.tokenize: expected a string, received ${typeof text}.`,
      );
    }
    const ids: number[] = [];
    const matcher = this.specialMatcher();
    if (matcher === null) {
      this.encodeSegment(text, ids, offsets, 0, true);
      return ids;
    }
    let last = 0;
    let first = true;
    matcher.pattern.lastIndex = 0;
    for (const m of text.matchAll(matcher.pattern)) {
      const at = m.index ?? 0;
      if (at > last) this.encodeSegment(text.slice(last, at), ids, offsets, last, first);
      first = false;
      ids.push(matcher.ids.get(m[0]) ?? 0);
      offsets?.push(at, at + m[0].length);
      last = at + m[0].length;
    }
    if (last < text.length) this.encodeSegment(text.slice(last), ids, offsets, last, first);
    return ids;
  }

  /**
   * Token ids of a string (`number[]`) or of each string of an array (`number[][]`). No special
   * tokens are added (packers do that). With `sequenceLength`, returns an int32 tensor padded
   * with `padId` or truncated to that length.
   */
  tokenize(text: string): TokenIds<S>;
  tokenize(texts: readonly string[]): BatchTokenIds<S>;
  tokenize(input: string | readonly string[]): TokenIds<S> | BatchTokenIds<S> {
    if (typeof input === 'string') {
      const ids = this.encodeText(input, null);
      if (this.sequenceLength === undefined) return ids as TokenIds<S>;
      return tf.tensor1d(this.pad(ids, this.sequenceLength), 'int32') as TokenIds<S>;
    }
    if (!Array.isArray(input)) {
      throw new ValueError(
        `${this.className}.tokenize: expected a string or an array of strings, received ${typeof input}.`,
      );
    }
    const all = input.map((t) => this.encodeText(t, null));
    const length = this.sequenceLength;
    if (length === undefined) return all as BatchTokenIds<S>;
    const flat = new Int32Array(all.length * length).fill(this.padId);
    for (let row = 0; row < all.length; row++)
      flat.set((all[row] as number[]).slice(0, length), row * length);
    return tf.tensor2d(flat, [all.length, length], 'int32') as BatchTokenIds<S>;
  }

  /** Ids of `text` with the `[start, end)` UTF-16 span of the input each one covers. */
  tokenizeWithOffsets(text: string): TokenizedWithOffsets {
    const flat: number[] = [];
    const ids = this.encodeText(text, flat);
    const offsets: [number, number][] = [];
    for (let i = 0; i < ids.length; i++) offsets.push([flat[2 * i] ?? 0, flat[2 * i + 1] ?? 0]);
    return { ids, offsets };
  }

  private pad(ids: number[], length: number): number[] {
    if (ids.length >= length) return ids.slice(0, length);
    return ids.concat(new Array<number>(length - ids.length).fill(this.padId));
  }

  private checkIds(ids: readonly number[]): void {
    const size = this.vocabularySize();
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= size) {
        throw new ValueError(
          `${this.className}.detokenize: id ${id} is outside the vocabulary; expected an integer in [0, ${size}).`,
        );
      }
    }
  }

  /** Text of a list of ids, of a list of lists, or of an int tensor of rank 1 or 2. */
  detokenize(ids: readonly number[]): string;
  detokenize(ids: readonly (readonly number[])[]): string[];
  detokenize(ids: tf.Tensor): string | string[];
  detokenize(
    ids: readonly number[] | readonly (readonly number[])[] | tf.Tensor,
  ): string | string[] {
    if (ids instanceof tf.Tensor) {
      if (ids.rank === 1) return this.detokenize(Array.from(ids.dataSync()));
      if (ids.rank === 2) return this.detokenize((ids.arraySync() as number[][]).map((r) => r));
      throw new ValueError(
        `${this.className}.detokenize: expected a tensor of rank 1 or 2, received rank ${ids.rank}.`,
      );
    }
    if (ids.length > 0 && Array.isArray(ids[0])) {
      return (ids as readonly (readonly number[])[]).map((row) => this.detokenize(row));
    }
    const flat = ids as readonly number[];
    this.checkIds(flat);
    return this.decodeIds(flat);
  }

  /**
   * The layer computation behind `apply`: a string tensor of rank 0 or 1 in, int32 ids out. Rank 1
   * needs a `sequenceLength` (a batch of ragged ids has no dense tensor form).
   */
  override call(input: tf.Tensor | tf.Tensor[], _args: CallArgs = {}): tf.Tensor {
    if (Array.isArray(input)) {
      throw new ValueError(
        `${this.className} '${this.name}': expected one string tensor, received a list of ${input.length} tensors.`,
      );
    }
    const inputs = input;
    if (inputs.dtype !== 'string') {
      throw new ValueError(
        `${this.className} '${this.name}': expected a string tensor, received dtype ${inputs.dtype}.`,
      );
    }
    const texts = inputs.dataSync() as unknown as string[];
    if (inputs.rank === 0) {
      const ids = this.encodeText(texts[0] ?? '', null);
      const out = this.sequenceLength === undefined ? ids : this.pad(ids, this.sequenceLength);
      return tf.tensor1d(out, 'int32');
    }
    if (inputs.rank === 1) {
      if (this.sequenceLength === undefined) {
        throw new ValueError(
          `${this.className} '${this.name}': a batch of strings (shape [${inputs.shape}]) needs sequenceLength to give a dense tensor; set sequenceLength or call tokenize(string[]).`,
        );
      }
      return this.tokenize(texts) as tf.Tensor;
    }
    throw new ValueError(
      `${this.className} '${this.name}': expected a string tensor of rank 0 or 1, received shape [${inputs.shape}].`,
    );
  }

  /** Output shape of `apply` for an input shape. */
  override computeOutputShape(
    inputShape: (number | null)[] | (number | null)[][],
  ): (number | null)[] {
    const length = this.sequenceLength ?? null;
    const shape = inputShape as (number | null)[];
    return shape.length === 0 ? [length] : [shape[0] ?? null, length];
  }
}
