import { ValueError, type Layer, saving } from '@cornu/core';
import { type NormalizationForm, preprocessPieces } from './text-preprocessing.js';
import { type TokenizerArgs, Tokenizer, type TokenizerConfig } from './tokenizer.js';
import { utf8Encode } from './unicode.js';
import { type DecodeErrors, decodeUtf8 } from './utf8.js';
import { idError, tokenError } from './vocabulary.js';

export interface ByteTokenizerArgs<S extends number | undefined = undefined>
  extends TokenizerArgs<S> {
  /** Lowercase the input first. @default true */
  lowercase?: boolean;
  /** Unicode normalization applied before encoding. @default undefined (none) */
  normalizationForm?: NormalizationForm;
  /** What `detokenize` does with invalid UTF-8. @default 'replace' */
  errors?: DecodeErrors;
  /** Code point written for invalid UTF-8 with `errors: 'replace'`. @default 65533 */
  replacementChar?: number;
}

/**
 * Tokenizes text into its UTF-8 bytes: ids 0..255, no vocabulary to load.
 *
 * @example
 * new ByteTokenizer({ lowercase: false }).tokenize('hé'); // [104, 195, 169]
 */
export class ByteTokenizer<S extends number | undefined = undefined> extends Tokenizer<S> {
  static override readonly className: string = 'ByteTokenizer';
  readonly lowercase: boolean;
  readonly normalizationForm: NormalizationForm | undefined;
  readonly errors: DecodeErrors;
  readonly replacementChar: number;

  constructor(args: ByteTokenizerArgs<S> = {}) {
    super(args);
    const {
      lowercase = true,
      normalizationForm,
      errors = 'replace',
      replacementChar = 65533,
    } = args;
    if (!['replace', 'ignore', 'strict'].includes(errors)) {
      throw new ValueError(
        `ByteTokenizer: errors must be 'replace', 'ignore' or 'strict'. Received: errors=${JSON.stringify(errors)}.`,
      );
    }
    this.lowercase = lowercase;
    this.normalizationForm = normalizationForm;
    this.errors = errors;
    this.replacementChar = replacementChar;
  }

  vocabularySize(): number {
    return 256;
  }

  getVocabulary(): string[] {
    return Array.from({ length: 256 }, (_, b) => String.fromCharCode(b));
  }

  idToToken(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id > 255) throw idError(this.className, id, 256);
    return String.fromCharCode(id);
  }

  tokenToId(token: string): number {
    if (token.length !== 1 || token.charCodeAt(0) > 255) throw tokenError(this.className, token);
    return token.charCodeAt(0);
  }

  protected encodeSegment(
    text: string,
    ids: number[],
    offsets: number[] | null,
    base: number,
  ): void {
    if (offsets === null && !this.lowercase && this.normalizationForm === undefined) {
      for (const b of utf8Encode(text)) ids.push(b);
      return;
    }
    preprocessPieces(text, this.lowercase, this.normalizationForm, (piece, start, end) => {
      for (const b of utf8Encode(piece)) {
        ids.push(b);
        offsets?.push(base + start, base + end);
      }
    });
  }

  protected decodeIds(ids: readonly number[]): string {
    return decodeUtf8(ids, this.errors, this.replacementChar, this.className);
  }

  override getConfig(): TokenizerConfig {
    return {
      ...super.getConfig(),
      lowercase: this.lowercase,
      normalization_form: this.normalizationForm ?? null,
      errors: this.errors,
      replacement_char: this.replacementChar,
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
    const tokenizer = new ByteTokenizer({
      ...Tokenizer.baseArgs(config),
      lowercase: c.lowercase as boolean,
      normalizationForm: (c.normalization_form ?? undefined) as NormalizationForm | undefined,
      errors: c.errors as DecodeErrors,
      replacementChar: c.replacement_char as number,
    });
    return tokenizer as unknown as T;
  }
}

saving.registerSerializable('keras_hub')(ByteTokenizer);
