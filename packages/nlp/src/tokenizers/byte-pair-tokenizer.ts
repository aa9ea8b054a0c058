import { ValueError, type Layer, saving } from '@cornu/core';
import { BYTE_TO_CHAR, CHAR_TO_BYTE, GPT2_SPLIT_PATTERN } from './byte-level.js';
import { type TokenizerArgs, Tokenizer, type TokenizerConfig } from './tokenizer.js';
import { utf8Decode, utf8Encode } from './unicode.js';
import { idError, readText, tokenError } from './vocabulary.js';

export interface BytePairTokenizerArgs<S extends number | undefined = undefined>
  extends TokenizerArgs<S> {
  /** Token -> id (a `vocab.json`), or tokens ordered by id. */
  vocabulary: Record<string, number> | Map<string, number> | string[];
  /** Merge rules by priority, each `'left right'` (the lines of `merges.txt`) or `[left, right]`. */
  merges: (string | [string, string])[];
  /** Put a space before input that does not start with whitespace. @default false */
  addPrefixSpace?: boolean;
  /** Token for bytes missing from the vocabulary; they are dropped when unset. @default undefined */
  unkToken?: string;
}

const CACHE_LIMIT = 200_000;

/** Min-heap of packed `rank * 2^32 + position` numbers. */
class PackedHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent] as number;
      if (p <= value) break;
      a[i] = p;
      i = parent;
    }
    a[i] = value;
  }
  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    const n = a.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (a[r] as number) < (a[l] as number) ? r : l;
        if ((a[c] as number) >= last) break;
        a[i] = a[c] as number;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

const POS_SCALE = 2 ** 32;

/**
 * Byte-level byte-pair-encoding tokenizer, as GPT-2, RoBERTa and BART use it: text is split
 * with GPT-2's pattern, each piece becomes its UTF-8 bytes, and merges are applied by rank.
 * Lossless: `detokenize(tokenize(s)) === s` for any well-formed string.
 *
 * @example
 * const tokenizer = await BytePairTokenizer.fromFiles('vocab.json', 'merges.txt');
 * tokenizer.tokenize('Hello world'); // [15496, 995]
 */
export class BytePairTokenizer<S extends number | undefined = undefined> extends Tokenizer<S> {
  static override readonly className: string = 'BytePairTokenizer';
  readonly merges: readonly string[];
  readonly addPrefixSpace: boolean;
  readonly unkToken: string | undefined;
  private readonly tokens: string[];
  private readonly index: Map<string, number>;
  private readonly byteIds: Int32Array;
  private readonly tokenBytes: Int32Array;
  /** (left id * size + right id) -> rank * size + merged id. */
  private readonly mergeTable = new Map<number, number>();
  private readonly cache = new Map<string, number[]>();
  private readonly unkId: number;

  constructor(args: BytePairTokenizerArgs<S>) {
    super(args);
    const { vocabulary, merges, addPrefixSpace = false, unkToken } = args;
    this.index = toIndex(vocabulary);
    if (this.index.size === 0) {
      throw new ValueError(
        'BytePairTokenizer: vocabulary must not be empty. Received: an empty vocabulary.',
      );
    }
    let size = 0;
    for (const id of this.index.values()) size = Math.max(size, id + 1);
    this.tokens = new Array<string>(size).fill('');
    for (const [t, id] of this.index) this.tokens[id] = t;
    this.addPrefixSpace = addPrefixSpace;
    this.unkToken = unkToken;
    this.unkId = unkToken === undefined ? -1 : (this.index.get(unkToken) ?? -1);
    if (unkToken !== undefined && this.unkId < 0) {
      throw new ValueError(
        `BytePairTokenizer: unkToken ${JSON.stringify(unkToken)} must be in the vocabulary.`,
      );
    }
    this.byteIds = new Int32Array(256).map(
      (_, b) => this.index.get(BYTE_TO_CHAR[b] as string) ?? -1,
    );
    this.tokenBytes = Int32Array.from(this.tokens, (t) => t.length);
    const lines: string[] = [];
    merges.forEach((m, rank) => {
      const [left, right] = typeof m === 'string' ? splitMerge(m) : m;
      if (left === undefined || right === undefined) {
        throw new ValueError(
          `BytePairTokenizer: merge ${rank} must be 'left right' or [left, right]. Received: ${JSON.stringify(m)}.`,
        );
      }
      lines.push(`${left} ${right}`);
      const a = this.index.get(left);
      const b = this.index.get(right);
      const merged = this.index.get(left + right);
      if (a === undefined || b === undefined || merged === undefined) return;
      const key = a * size + b;
      if (!this.mergeTable.has(key)) this.mergeTable.set(key, rank * size + merged);
    });
    this.merges = lines;
    for (const t of this.specialTokens) {
      if (!this.index.has(t))
        throw new ValueError(
          `BytePairTokenizer: special token ${JSON.stringify(t)} is not in the vocabulary.`,
        );
    }
  }

  /** Loads a `vocab.json` and a `merges.txt` (its `#version` header line is skipped). */
  static async fromFiles<S extends number | undefined = undefined>(
    vocabularyPath: string | URL,
    mergesPath: string | URL,
    options: Omit<BytePairTokenizerArgs<S>, 'vocabulary' | 'merges'> = {},
  ): Promise<BytePairTokenizer<S>> {
    const [vocabText, mergesText] = await Promise.all([
      readText(vocabularyPath),
      readText(mergesPath),
    ]);
    const vocabulary = JSON.parse(vocabText) as Record<string, number>;
    const merges = mergesText
      .split('\n')
      .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
      .filter((l, k) => l.length > 0 && !(k === 0 && l.startsWith('#version')));
    return new BytePairTokenizer<S>({ ...options, vocabulary, merges });
  }

  vocabularySize(): number {
    return this.tokens.length;
  }

  getVocabulary(): string[] {
    return [...this.tokens];
  }

  idToToken(id: number): string {
    const token = this.tokens[id];
    if (token === undefined || !Number.isInteger(id))
      throw idError(this.className, id, this.tokens.length);
    return token;
  }

  tokenToId(token: string): number {
    const id = this.index.get(token);
    if (id === undefined) throw tokenError(this.className, token);
    return id;
  }

  protected encodeSegment(
    text: string,
    ids: number[],
    offsets: number[] | null,
    base: number,
    isFirst: boolean,
  ): void {
    let input = text;
    let shift = 0;
    if (this.addPrefixSpace && isFirst && input.length > 0 && !/^\s/u.test(input)) {
      input = ` ${input}`;
      shift = 1;
    }
    GPT2_SPLIT_PATTERN.lastIndex = 0;
    for (const match of input.matchAll(GPT2_SPLIT_PATTERN)) {
      const word = match[0];
      if (offsets === null) {
        const cached = this.cache.get(word);
        if (cached !== undefined) {
          for (let k = 0; k < cached.length; k++) ids.push(cached[k] as number);
          continue;
        }
      }
      const bytes = utf8Encode(word);
      const wordIds = this.bpe(bytes);
      for (let k = 0; k < wordIds.length; k++) ids.push(wordIds[k] as number);
      if (offsets === null) {
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(word, wordIds);
      } else {
        this.pushOffsets(word, wordIds, offsets, base + (match.index ?? 0) - shift);
      }
    }
  }

  /** Offsets of a word's pieces: byte spans widened to whole characters. */
  private pushOffsets(word: string, wordIds: number[], offsets: number[], start: number): void {
    const unitOfByte: number[] = [];
    const endOfByte: number[] = [];
    for (let i = 0; i < word.length; ) {
      const cp = word.codePointAt(i) ?? 0;
      const units = cp > 0xffff ? 2 : 1;
      const isLone = units === 1 && cp >= 0xd800 && cp <= 0xdfff;
      const n = isLone ? 3 : cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      for (let k = 0; k < n; k++) {
        unitOfByte.push(i);
        endOfByte.push(i + units);
      }
      i += units;
    }
    let byte = 0;
    for (const id of wordIds) {
      const length = id === this.unkId ? 1 : (this.tokenBytes[id] ?? 1);
      const s = Math.max(0, (unitOfByte[byte] ?? 0) + start);
      const e = Math.max(0, (endOfByte[byte + length - 1] ?? word.length) + start);
      offsets.push(s, e);
      byte += length;
    }
  }

  /** Byte-pair merges of one pre-tokenized word. */
  private bpe(bytes: Uint8Array): number[] {
    const n = bytes.length;
    const sym = new Int32Array(n);
    let count = 0;
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = this.byteIds[bytes[i] as number] as number;
      if (id >= 0) sym[count++] = id;
      else if (this.unkId >= 0) sym[count++] = -1;
    }
    if (count <= 1) {
      if (count === 1) out.push((sym[0] as number) < 0 ? this.unkId : (sym[0] as number));
      return out;
    }
    const size = this.tokens.length;
    const next = new Int32Array(count);
    const prev = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      next[i] = i + 1 < count ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap = new PackedHeap();
    const rankOf = (a: number, b: number): number => {
      if (a < 0 || b < 0) return -1;
      const m = this.mergeTable.get(a * size + b);
      return m === undefined ? -1 : m;
    };
    for (let i = 0; i + 1 < count; i++) {
      const m = rankOf(sym[i] as number, sym[i + 1] as number);
      if (m >= 0) heap.push(Math.floor(m / size) * POS_SCALE + i);
    }
    while (heap.size > 0) {
      const top = heap.pop();
      const rank = Math.floor(top / POS_SCALE);
      const pos = top - rank * POS_SCALE;
      const right = next[pos] as number;
      if (right < 0 || (sym[pos] as number) === -2) continue;
      const m = rankOf(sym[pos] as number, sym[right] as number);
      if (m < 0 || Math.floor(m / size) !== rank) continue;
      sym[pos] = m % size;
      sym[right] = -2;
      const after = next[right] as number;
      next[pos] = after;
      if (after >= 0) prev[after] = pos;
      const before = prev[pos] as number;
      if (before >= 0) {
        const mb = rankOf(sym[before] as number, sym[pos] as number);
        if (mb >= 0) heap.push(Math.floor(mb / size) * POS_SCALE + before);
      }
      if (after >= 0) {
        const ma = rankOf(sym[pos] as number, sym[after] as number);
        if (ma >= 0) heap.push(Math.floor(ma / size) * POS_SCALE + pos);
      }
    }
    for (let i = 0; i >= 0; i = next[i] as number) {
      const id = sym[i] as number;
      out.push(id === -1 ? this.unkId : id);
    }
    return out;
  }

  protected decodeIds(ids: readonly number[]): string {
    const bytes: number[] = [];
    for (const id of ids) {
      const token = this.tokens[id] as string;
      if (this.specialTokens.includes(token)) {
        for (const b of utf8Encode(token)) bytes.push(b);
        continue;
      }
      for (let k = 0; k < token.length; k++) {
        const b = CHAR_TO_BYTE[token.charCodeAt(k)];
        if (b !== undefined && b >= 0) bytes.push(b);
        else for (const x of utf8Encode(token[k] as string)) bytes.push(x);
      }
    }
    return utf8Decode(Uint8Array.from(bytes));
  }

  override getConfig(): TokenizerConfig {
    const vocabulary: Record<string, number> = {};
    this.tokens.forEach((t, id) => {
      vocabulary[t] = id;
    });
    return {
      ...super.getConfig(),
      vocabulary,
      merges: [...this.merges],
      add_prefix_space: this.addPrefixSpace,
      unk_token: this.unkToken ?? null,
    };
  }

  /** Rebuilds a tokenizer from `getConfig()` output. */
  static override fromConfig<T extends Layer>(
    this: new (
      args: never,
    ) => T,
    config: TokenizerConfig,
  ): T {
    const c = config as Record<string, unknown>;
    const tokenizer = new BytePairTokenizer({
      ...Tokenizer.baseArgs(config),
      vocabulary: c.vocabulary as Record<string, number>,
      merges: c.merges as string[],
      addPrefixSpace: c.add_prefix_space as boolean,
      unkToken: typeof c.unk_token === 'string' ? c.unk_token : undefined,
    });
    return tokenizer as unknown as T;
  }
}

function splitMerge(line: string): [string | undefined, string | undefined] {
  const at = line.indexOf(' ', 1);
  if (at < 0) return [undefined, undefined];
  return [line.slice(0, at), line.slice(at + 1)];
}

function toIndex(vocabulary: BytePairTokenizerArgs['vocabulary']): Map<string, number> {
  if (vocabulary instanceof Map) return new Map(vocabulary);
  if (Array.isArray(vocabulary)) return new Map(vocabulary.map((t, i) => [t, i]));
  if (vocabulary === null || typeof vocabulary !== 'object') {
    throw new ValueError(
      `BytePairTokenizer: vocabulary must be an object, a Map or an array. Received: ${String(vocabulary)}.`,
    );
  }
  return new Map(Object.entries(vocabulary));
}

saving.registerSerializable('keras_hub')(BytePairTokenizer);
