import { ValueError, type Layer, saving } from '@cornu/core';
import { type TokenizerArgs, Tokenizer, type TokenizerConfig } from './tokenizer.js';
import { isCjk, isControl, isPunctuation, isWhitespace, stripAccents } from './unicode.js';
import { idError, indexVocabulary, readText, tokenError, vocabularyLines } from './vocabulary.js';

export interface WordPieceTokenizerArgs<S extends number | undefined = undefined>
  extends TokenizerArgs<S> {
  /** Tokens ordered by id (the lines of a `vocab.txt`). */
  vocabulary: string[];
  /** Lowercase the input. @default false */
  lowercase?: boolean;
  /** Decompose (NFD) and drop accents. @default the value of `lowercase`, as BERT does */
  stripAccents?: boolean;
  /** Split on whitespace and punctuation first (BERT's basic tokenization). @default true */
  split?: boolean;
  /** Put every CJK ideograph in its own word. @default true */
  splitOnCjk?: boolean;
  /** Prefix of word-continuation pieces. @default '##' */
  suffixIndicator?: string;
  /** Token for a word that cannot be split into vocabulary pieces. @default '[UNK]' */
  oovToken?: string;
  /** Words longer than this many characters become `oovToken`. @default 100 */
  maxCharsPerWord?: number;
  /** Remove the spaces BERT detokenization leaves before punctuation and contractions. @default true */
  cleanUpTokenizationSpaces?: boolean;
}

// ASCII fast path: 0 drop, 1 whitespace, 2 punctuation, 3 word character.
const ASCII_CLASS = new Uint8Array(128);
for (let cp = 0; cp < 128; cp++) {
  ASCII_CLASS[cp] = isControl(cp) ? 0 : isWhitespace(cp) ? 1 : isPunctuation(cp) ? 2 : 3;
}

/** Spaces that BERT-style detokenization removes, in the order Hugging Face applies them. */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

/**
 * BERT's WordPiece tokenizer: basic tokenization (text cleaning, lowercasing, accent stripping,
 * CJK and punctuation splitting), then greedy longest-match-first sub-words.
 *
 * @example
 * const tokenizer = await WordPieceTokenizer.fromVocabulary('vocab.txt', { lowercase: true });
 * tokenizer.tokenize('The quick brown fox.'); // [1996, 4248, 2829, 4419, 1012]
 */
export class WordPieceTokenizer<S extends number | undefined = undefined> extends Tokenizer<S> {
  static override readonly className: string = 'WordPieceTokenizer';
  readonly vocabulary: readonly string[];
  readonly lowercase: boolean;
  readonly stripAccents: boolean;
  readonly split: boolean;
  readonly splitOnCjk: boolean;
  readonly suffixIndicator: string;
  readonly oovToken: string;
  readonly maxCharsPerWord: number;
  readonly cleanUpTokenizationSpaces: boolean;
  private readonly index: Map<string, number>;
  private readonly oovId: number;
  private readonly maxPieceLength: number;
  private readonly cache = new Map<string, number[]>();

  constructor(args: WordPieceTokenizerArgs<S>) {
    super(args);
    const {
      vocabulary,
      lowercase = false,
      stripAccents = lowercase,
      split = true,
      splitOnCjk = true,
      suffixIndicator = '##',
      oovToken = '[UNK]',
      maxCharsPerWord = 100,
      cleanUpTokenizationSpaces = true,
    } = args;
    if (!Array.isArray(vocabulary) || vocabulary.length === 0) {
      throw new ValueError(
        `WordPieceTokenizer: vocabulary must be a non-empty array of strings. Received: ${String(vocabulary)}.`,
      );
    }
    this.vocabulary = [...vocabulary];
    this.lowercase = lowercase;
    this.stripAccents = stripAccents;
    this.split = split;
    this.splitOnCjk = splitOnCjk;
    this.suffixIndicator = suffixIndicator;
    this.oovToken = oovToken;
    this.maxCharsPerWord = maxCharsPerWord;
    this.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces;
    this.index = indexVocabulary('WordPieceTokenizer', this.vocabulary);
    const oovId = this.index.get(oovToken);
    if (oovId === undefined) {
      throw new ValueError(
        `WordPieceTokenizer: oovToken ${JSON.stringify(oovToken)} must be in the vocabulary.`,
      );
    }
    this.oovId = oovId;
    let longest = 0;
    for (const t of this.vocabulary) longest = Math.max(longest, t.length);
    this.maxPieceLength = longest;
    for (const t of this.specialTokens) {
      if (!this.index.has(t))
        throw new ValueError(
          `WordPieceTokenizer: special token ${JSON.stringify(t)} is not in the vocabulary.`,
        );
    }
  }

  /** Loads a one-token-per-line `vocab.txt`. */
  static async fromVocabulary<S extends number | undefined = undefined>(
    path: string | URL,
    options: Omit<WordPieceTokenizerArgs<S>, 'vocabulary'> = {},
  ): Promise<WordPieceTokenizer<S>> {
    return new WordPieceTokenizer<S>({
      ...options,
      vocabulary: vocabularyLines(await readText(path)),
    });
  }

  vocabularySize(): number {
    return this.vocabulary.length;
  }

  getVocabulary(): string[] {
    return [...this.vocabulary];
  }

  idToToken(id: number): string {
    const token = this.vocabulary[id];
    if (token === undefined || !Number.isInteger(id))
      throw idError(this.className, id, this.vocabulary.length);
    return token;
  }

  tokenToId(token: string): number {
    const id = this.index.get(token);
    if (id === undefined) throw tokenError(this.className, token);
    return id;
  }

  /** The normalized form of one code point (cleaning, accents, case). */
  private normalizeChar(ch: string): string {
    let n = ch;
    if (this.stripAccents) n = stripAccents(n);
    if (this.lowercase) n = n.toLowerCase();
    return n;
  }

  protected encodeSegment(
    text: string,
    ids: number[],
    offsets: number[] | null,
    base: number,
  ): void {
    // The current word: normalized text, and per UTF-16 unit the source span.
    let word = '';
    let starts: number[] = [];
    let ends: number[] = [];
    const flush = (): void => {
      if (word.length > 0) this.encodeWord(word, starts, ends, ids, offsets, base);
      word = '';
      if (offsets !== null) {
        starts = [];
        ends = [];
      }
    };
    const push = (piece: string, from: number, to: number): void => {
      word += piece;
      if (offsets !== null) {
        for (let k = 0; k < piece.length; k++) {
          starts.push(from);
          ends.push(to);
        }
      }
    };
    const emitAlone = (piece: string, from: number, to: number): void => {
      flush();
      push(piece, from, to);
      flush();
    };
    const n = text.length;
    let i = 0;
    while (i < n) {
      const unit = text.charCodeAt(i);
      if (unit < 128) {
        const kind = ASCII_CLASS[unit];
        if (kind === 3) {
          const upper = unit >= 65 && unit <= 90;
          push(
            upper && this.lowercase ? String.fromCharCode(unit + 32) : (text[i] as string),
            i,
            i + 1,
          );
        } else if (kind === 1) {
          if (this.split) flush();
          else push(' ', i, i + 1);
        } else if (kind === 2) {
          if (this.split) emitAlone(text[i] as string, i, i + 1);
          else push(text[i] as string, i, i + 1);
        }
        i++;
        continue;
      }
      const cp = text.codePointAt(i) ?? unit;
      const size = cp > 0xffff ? 2 : 1;
      const end = i + size;
      if (cp === 0xfffd || isControl(cp)) {
        i = end;
        continue;
      }
      if (isWhitespace(cp)) {
        if (this.split) flush();
        else push(' ', i, end);
        i = end;
        continue;
      }
      const ch = text.slice(i, end);
      if (this.splitOnCjk && isCjk(cp)) {
        emitAlone(ch, i, end);
        i = end;
        continue;
      }
      const normalized = this.normalizeChar(ch);
      for (const c of normalized) {
        const ccp = c.codePointAt(0) ?? 0;
        if (this.split && isWhitespace(ccp)) flush();
        else if (this.split && isPunctuation(ccp)) emitAlone(c, i, end);
        else push(c, i, end);
      }
      i = end;
    }
    flush();
  }

  private encodeWord(
    word: string,
    starts: number[],
    ends: number[],
    ids: number[],
    offsets: number[] | null,
    base: number,
  ): void {
    if (offsets === null) {
      const cached = this.cache.get(word);
      if (cached !== undefined) {
        for (const id of cached) ids.push(id);
        return;
      }
    }
    const pieceIds: number[] = [];
    const pieceEnds: number[] = [];
    let charCount = 0;
    for (let k = 0; k < word.length; k++) {
      const u = word.charCodeAt(k);
      if (u < 0xdc00 || u > 0xdfff) charCount++;
    }
    let bad = charCount > this.maxCharsPerWord;
    let start = 0;
    while (!bad && start < word.length) {
      let end = Math.min(word.length, start + this.maxPieceLength);
      if (end < word.length && isLowSurrogateAt(word, end)) end--;
      let found = -1;
      while (start < end) {
        const sub =
          start > 0 ? this.suffixIndicator + word.slice(start, end) : word.slice(start, end);
        const id = this.index.get(sub);
        if (id !== undefined) {
          found = id;
          break;
        }
        end -= isLowSurrogateAt(word, end - 1) && end - 2 >= start ? 2 : 1;
      }
      if (found < 0) {
        bad = true;
        break;
      }
      pieceIds.push(found);
      pieceEnds.push(end);
      start = end;
    }
    if (bad) {
      ids.push(this.oovId);
      offsets?.push(base + (starts[0] ?? 0), base + (ends[word.length - 1] ?? 0));
      if (offsets === null) this.remember(word, [this.oovId]);
      return;
    }
    let from = 0;
    for (let k = 0; k < pieceIds.length; k++) {
      ids.push(pieceIds[k] as number);
      const to = pieceEnds[k] as number;
      offsets?.push(base + (starts[from] ?? 0), base + (ends[to - 1] ?? 0));
      from = to;
    }
    if (offsets === null) this.remember(word, pieceIds);
  }

  private remember(word: string, ids: number[]): void {
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(word, ids);
  }

  protected decodeIds(ids: readonly number[]): string {
    let out = '';
    const prefix = this.suffixIndicator;
    ids.forEach((id, k) => {
      const token = this.vocabulary[id] as string;
      if (token.startsWith(prefix)) out += token.slice(prefix.length);
      else out += k === 0 ? token : ` ${token}`;
    });
    return this.cleanUpTokenizationSpaces ? cleanUpTokenization(out) : out;
  }

  override getConfig(): TokenizerConfig {
    return {
      ...super.getConfig(),
      vocabulary: [...this.vocabulary],
      lowercase: this.lowercase,
      strip_accents: this.stripAccents,
      split: this.split,
      split_on_cjk: this.splitOnCjk,
      suffix_indicator: this.suffixIndicator,
      oov_token: this.oovToken,
      max_chars_per_word: this.maxCharsPerWord,
      clean_up_tokenization_spaces: this.cleanUpTokenizationSpaces,
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
    const tokenizer = new WordPieceTokenizer({
      ...Tokenizer.baseArgs(config),
      vocabulary: c.vocabulary as string[],
      lowercase: c.lowercase as boolean,
      stripAccents: c.strip_accents as boolean,
      split: c.split as boolean,
      splitOnCjk: c.split_on_cjk as boolean,
      suffixIndicator: c.suffix_indicator as string,
      oovToken: c.oov_token as string,
      maxCharsPerWord: c.max_chars_per_word as number,
      cleanUpTokenizationSpaces: c.clean_up_tokenization_spaces as boolean,
    });
    return tokenizer as unknown as T;
  }
}

function isLowSurrogateAt(text: string, index: number): boolean {
  const u = text.charCodeAt(index);
  return u >= 0xdc00 && u <= 0xdfff;
}

saving.registerSerializable('keras_hub')(WordPieceTokenizer);
