import { ValueError, type Layer, saving } from '@cornu/core';
import { type NormalizationForm, preprocessPieces } from './text-preprocessing.js';
import { type TokenizerArgs, Tokenizer, type TokenizerConfig } from './tokenizer.js';
import type { DecodeErrors } from './utf8.js';
import { idError, tokenError } from './vocabulary.js';

const MAX_CODEPOINTS = 0x110000;

export interface UnicodeCodepointTokenizerArgs<S extends number | undefined = undefined>
  extends TokenizerArgs<S> {
  /** Lowercase the input first. @default true */
  lowercase?: boolean;
  /** Unicode normalization applied before splitting. @default undefined (none) */
  normalizationForm?: NormalizationForm;
  /** What happens to lone surrogates (text that has no code point) and, in `detokenize`, invalid ids. @default 'replace' */
  errors?: DecodeErrors;
  /** Code point used for them with `errors: 'replace'`. @default 65533 */
  replacementChar?: number;
  /** Clamp ids to `[0, vocabularySize)`: `vocabularySize - 1` becomes the out-of-vocabulary id. @default undefined (all 1,114,112 code points) */
  vocabularySize?: number;
}

/**
 * Tokenizes text into Unicode code points: one id per character, no vocabulary to load.
 *
 * @example
 * new UnicodeCodepointTokenizer({ lowercase: false }).tokenize('hé🦙'); // [104, 233, 129433]
 */
export class UnicodeCodepointTokenizer<
  S extends number | undefined = undefined,
> extends Tokenizer<S> {
  static override readonly className: string = 'UnicodeCodepointTokenizer';
  readonly lowercase: boolean;
  readonly normalizationForm: NormalizationForm | undefined;
  readonly errors: DecodeErrors;
  readonly replacementChar: number;
  private readonly size: number | undefined;

  constructor(args: UnicodeCodepointTokenizerArgs<S> = {}) {
    super(args);
    const {
      lowercase = true,
      normalizationForm,
      errors = 'replace',
      replacementChar = 65533,
      vocabularySize,
    } = args;
    if (
      vocabularySize !== undefined &&
      (!Number.isInteger(vocabularySize) || vocabularySize < 1 || vocabularySize > MAX_CODEPOINTS)
    ) {
      throw new ValueError(
        `UnicodeCodepointTokenizer: vocabularySize must be an integer in [1, ${MAX_CODEPOINTS}]. Received: vocabularySize=${vocabularySize}.`,
      );
    }
    this.lowercase = lowercase;
    this.normalizationForm = normalizationForm;
    this.errors = errors;
    this.replacementChar = replacementChar;
    this.size = vocabularySize;
  }

  vocabularySize(): number {
    return this.size ?? MAX_CODEPOINTS;
  }

  getVocabulary(): string[] {
    return Array.from({ length: this.vocabularySize() }, (_, i) => this.idToToken(i));
  }

  idToToken(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabularySize())
      throw idError(this.className, id, this.vocabularySize());
    return id >= 0xd800 && id <= 0xdfff
      ? String.fromCharCode(this.replacementChar)
      : String.fromCodePoint(id);
  }

  tokenToId(token: string): number {
    const cp = token.codePointAt(0);
    if (cp === undefined || token.length !== (cp > 0xffff ? 2 : 1) || cp >= this.vocabularySize()) {
      throw tokenError(this.className, token);
    }
    return cp;
  }

  protected encodeSegment(
    text: string,
    ids: number[],
    offsets: number[] | null,
    base: number,
  ): void {
    const limit = this.vocabularySize() - 1;
    preprocessPieces(text, this.lowercase, this.normalizationForm, (piece, start, end) => {
      for (let i = 0; i < piece.length; ) {
        let cp = piece.codePointAt(i) as number;
        i += cp > 0xffff ? 2 : 1;
        if (cp >= 0xd800 && cp <= 0xdfff) {
          if (this.errors === 'strict') {
            throw new ValueError(
              `UnicodeCodepointTokenizer.tokenize: lone surrogate U+${cp.toString(16).toUpperCase()} at index ${base + start}; use errors 'replace' or 'ignore'.`,
            );
          }
          if (this.errors === 'ignore') continue;
          cp = this.replacementChar;
        }
        ids.push(Math.min(cp, limit));
        offsets?.push(base + start, base + end);
      }
    });
  }

  protected decodeIds(ids: readonly number[]): string {
    let s = '';
    for (const id of ids) {
      if (id >= 0xd800 && id <= 0xdfff) {
        if (this.errors === 'strict')
          throw new ValueError(
            `UnicodeCodepointTokenizer.detokenize: id ${id} is a surrogate, not a character.`,
          );
        if (this.errors === 'replace') s += String.fromCodePoint(this.replacementChar);
      } else s += String.fromCodePoint(id);
    }
    return s;
  }

  override getConfig(): TokenizerConfig {
    return {
      ...super.getConfig(),
      lowercase: this.lowercase,
      normalization_form: this.normalizationForm ?? null,
      errors: this.errors,
      replacement_char: this.replacementChar,
      vocabulary_size: this.size ?? null,
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
    const tokenizer = new UnicodeCodepointTokenizer({
      ...Tokenizer.baseArgs(config),
      lowercase: c.lowercase as boolean,
      normalizationForm: (c.normalization_form ?? undefined) as NormalizationForm | undefined,
      errors: c.errors as DecodeErrors,
      replacementChar: c.replacement_char as number,
      vocabularySize: (c.vocabulary_size ?? undefined) as number | undefined,
    });
    return tokenizer as unknown as T;
  }
}

saving.registerSerializable('keras_hub')(UnicodeCodepointTokenizer);
