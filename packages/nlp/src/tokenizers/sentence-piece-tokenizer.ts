import { readFile } from 'node:fs/promises';
import { ValueError, type Layer, saving } from '@cornu/core';
import { PrecompiledCharsmap } from './precompiled-charsmap.js';
import { type EncodedPiece, SentencePieceModel } from './sentence-piece-model.js';
import {
  parseSentencePieceModel,
  type SentencePieceModelProto,
  serializeSentencePieceModel,
} from './sentence-piece-proto.js';
import { type TokenizerArgs, Tokenizer, type TokenizerConfig } from './tokenizer.js';
import { forEachGrapheme } from './graphemes.js';
import { isWhitespace, utf8Decode, utf8Encode } from './unicode.js';
import { idError, tokenError } from './vocabulary.js';
import { cleanUpTokenization } from './word-piece-tokenizer.js';

const SPACE = '\u2581';

export interface SentencePieceTokenizerArgs<S extends number | undefined = undefined>
  extends TokenizerArgs<S> {
  /** The model: the bytes of a `.model`/`.spm` file, or a parsed `ModelProto`. */
  proto: Uint8Array | SentencePieceModelProto;
  /**
   * `'sentencepiece'` normalizes like the SentencePiece library (longest charsmap rule,
   * whitespace rules of the model's NormalizerSpec). `'huggingface'` reproduces a
   * `tokenizer.json` pipeline: charsmap per grapheme, split on whitespace, `▁` before each word.
   * @default 'sentencepiece'
   */
  normalization?: 'sentencepiece' | 'huggingface';
  /** Write control tokens (`</s>`, `<pad>`) into detokenized text instead of dropping them. @default false */
  decodeSpecialTokens?: boolean;
  /** Text written for the unknown token. @default the model's unk surface, ' ⁇ ' */
  unkSurface?: string;
  /** Remove spaces before punctuation when detokenizing (Hugging Face's cleanup). @default false */
  cleanUpTokenizationSpaces?: boolean;
}

interface Normalized {
  text: string;
  starts: number[];
  ends: number[];
}

/**
 * SentencePiece tokenizer that reads the `.model` protobuf itself: unigram models (Viterbi) and
 * BPE models with byte fallback, with the model's own normalization (the precompiled charsmap,
 * e.g. nmt_nfkc).
 *
 * @example
 * const tokenizer = await SentencePieceTokenizer.fromModel('tokenizer.model');
 * tokenizer.tokenize('The quick brown fox.'); // Llama 2: [450, 4996, 17354, 1701, 29916, 29889]
 */
export class SentencePieceTokenizer<S extends number | undefined = undefined> extends Tokenizer<S> {
  static override readonly className: string = 'SentencePieceTokenizer';
  readonly proto: SentencePieceModelProto;
  readonly normalization: 'sentencepiece' | 'huggingface';
  readonly decodeSpecialTokens: boolean;
  readonly unkSurface: string;
  readonly cleanUpTokenizationSpaces: boolean;
  private readonly model: SentencePieceModel;
  private readonly charsmap: PrecompiledCharsmap | null;
  private readonly index = new Map<string, number>();
  private readonly segmenter = new Intl.Segmenter('und', { granularity: 'grapheme' });

  constructor(args: SentencePieceTokenizerArgs<S>) {
    super(args);
    const {
      proto,
      normalization = 'sentencepiece',
      decodeSpecialTokens = false,
      cleanUpTokenizationSpaces = false,
    } = args;
    this.proto = proto instanceof Uint8Array ? parseSentencePieceModel(proto) : proto;
    if (!Array.isArray(this.proto?.pieces) || this.proto.pieces.length === 0) {
      throw new ValueError(
        'SentencePieceTokenizer: proto must be .model bytes or a parsed ModelProto with pieces.',
      );
    }
    const { unkSurface = this.proto.trainerSpec.unkSurface } = args;
    this.normalization = normalization;
    this.decodeSpecialTokens = decodeSpecialTokens;
    this.unkSurface = unkSurface;
    this.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces;
    const t = this.proto.trainerSpec;
    this.model = new SentencePieceModel(this.proto.pieces, t.modelType, t.unkId, t.byteFallback);
    const map = this.proto.normalizerSpec.precompiledCharsmap;
    this.charsmap = map.length > 0 ? new PrecompiledCharsmap(map) : null;
    this.proto.pieces.forEach((p, id) => {
      if (!this.index.has(p.piece)) this.index.set(p.piece, id);
    });
    this.padId = Math.max(t.padId, 0);
    for (const s of this.specialTokens) {
      if (!this.index.has(s))
        throw new ValueError(
          `SentencePieceTokenizer: special token ${JSON.stringify(s)} is not in the vocabulary.`,
        );
    }
  }

  /** Loads a SentencePiece `.model` (or `.spm`) file. */
  static async fromModel<S extends number | undefined = undefined>(
    path: string | URL,
    options: Omit<SentencePieceTokenizerArgs<S>, 'proto'> = {},
  ): Promise<SentencePieceTokenizer<S>> {
    const bytes = new Uint8Array(await readFile(path));
    return new SentencePieceTokenizer<S>({ ...options, proto: bytes });
  }

  vocabularySize(): number {
    return this.proto.pieces.length;
  }

  getVocabulary(): string[] {
    return this.proto.pieces.map((p) => p.piece);
  }

  idToToken(id: number): string {
    const p = this.proto.pieces[id];
    if (p === undefined || !Number.isInteger(id))
      throw idError(this.className, id, this.proto.pieces.length);
    return p.piece;
  }

  tokenToId(token: string): number {
    const id = this.index.get(token);
    if (id === undefined) throw tokenError(this.className, token);
    return id;
  }

  /** Id of the model's BOS/EOS/PAD/UNK token (-1 when the model has none). */
  get bosId(): number {
    return this.proto.trainerSpec.bosId;
  }
  get eosId(): number {
    return this.proto.trainerSpec.eosId;
  }
  get unkId(): number {
    return this.proto.trainerSpec.unkId;
  }

  /** Charsmap rule at `i`: replacement and UTF-16 length consumed (one code point when none). */
  private prefix(text: string, i: number): [string, number] {
    const m = this.charsmap?.longestMatch(text, i) ?? null;
    if (m !== null) return [m.replacement, m.length];
    const cp = text.codePointAt(i) as number;
    if (cp >= 0xd800 && cp <= 0xdfff) return ['\ufffd', 1];
    const width = cp > 0xffff ? 2 : 1;
    return [text.slice(i, i + width), width];
  }

  /** SentencePiece's Normalizer::Normalize, with UTF-16 origins for every output unit. */
  private normalizeSentencePiece(text: string): Normalized {
    const spec = this.proto.normalizerSpec;
    const suffix = this.proto.trainerSpec.treatWhitespaceAsSuffix;
    const space = spec.escapeWhitespaces ? SPACE : ' ';
    const out: Normalized = { text: '', starts: [], ends: [] };
    const add = (s: string, from: number, to: number): void => {
      out.text += s;
      for (let k = 0; k < s.length; k++) {
        out.starts.push(from);
        out.ends.push(to);
      }
    };
    let i = 0;
    if (spec.removeExtraWhitespaces) {
      while (i < text.length) {
        const [rep, length] = this.prefix(text, i);
        if (rep !== ' ') break;
        i += length;
      }
    }
    if (i >= text.length) return out;
    if (!suffix && spec.addDummyPrefix) add(space, i, i);
    let prevSpace = spec.removeExtraWhitespaces;
    while (i < text.length) {
      const [rep, length] = this.prefix(text, i);
      let sp = rep;
      if (prevSpace) while (sp.startsWith(' ')) sp = sp.slice(1);
      if (sp.length > 0) {
        add(spec.escapeWhitespaces ? sp.replaceAll(' ', SPACE) : sp, i, i + length);
        prevSpace = sp.endsWith(' ');
      }
      i += length;
      if (!spec.removeExtraWhitespaces) prevSpace = false;
    }
    if (spec.removeExtraWhitespaces) {
      while (out.text.endsWith(space)) {
        out.text = out.text.slice(0, -space.length);
        out.starts.length = out.text.length;
        out.ends.length = out.text.length;
      }
    }
    if (suffix && spec.addDummyPrefix) add(space, text.length, text.length);
    return out;
  }

  /** Hugging Face's Precompiled normalizer: per grapheme, else per code point. */
  private normalizeGraphemes(text: string): Normalized {
    const out: Normalized = { text: '', starts: [], ends: [] };
    const add = (s: string, from: number, to: number): void => {
      out.text += s;
      for (let k = 0; k < s.length; k++) {
        out.starts.push(from);
        out.ends.push(to);
      }
    };
    const charsmap = this.charsmap;
    if (charsmap === null) {
      add(text, 0, 0);
      for (let k = 0; k < text.length; k++) {
        out.starts[k] = k;
        out.ends[k] = k + 1;
      }
      return out;
    }
    forEachGrapheme(this.segmenter, text, (segment, index) => {
      if (utf8Encode(segment).length < 6) {
        const m = charsmap.firstMatch(segment);
        if (m !== null) {
          add(m.replacement, index, index + segment.length);
          return;
        }
      }
      for (let k = 0; k < segment.length; ) {
        const cp = segment.codePointAt(k) as number;
        const width = cp > 0xffff ? 2 : 1;
        const ch = segment.slice(k, k + width);
        const m = width === segment.length ? null : charsmap.firstMatch(ch);
        add(m === null ? ch : m.replacement, index + k, index + k + width);
        k += width;
      }
    });
    return out;
  }

  protected encodeSegment(
    text: string,
    ids: number[],
    offsets: number[] | null,
    base: number,
  ): void {
    const pieces: EncodedPiece[] = [];
    const emit = (norm: Normalized, shift: number): void => {
      pieces.length = 0;
      this.model.encode(norm.text, pieces);
      for (const p of pieces) {
        ids.push(p.id);
        if (offsets !== null) {
          offsets.push(
            base + (norm.starts[p.start - shift] ?? 0),
            base + (norm.ends[p.end - 1 - shift] ?? 0),
          );
        }
      }
    };
    if (this.normalization === 'sentencepiece') {
      emit(this.normalizeSentencePiece(text), 0);
      return;
    }
    const norm = this.normalizeGraphemes(text);
    const s = norm.text;
    let i = 0;
    while (i < s.length) {
      while (i < s.length && isWhitespace(s.codePointAt(i) as number)) i++;
      if (i >= s.length) break;
      let j = i;
      while (j < s.length && !isWhitespace(s.codePointAt(j) as number))
        j += (s.codePointAt(j) as number) > 0xffff ? 2 : 1;
      const word = s.slice(i, j);
      const starts = norm.starts.slice(i, j);
      const ends = norm.ends.slice(i, j);
      if (word.startsWith(SPACE)) {
        emit({ text: word, starts, ends }, 0);
      } else {
        const at = starts[0] ?? 0;
        emit({ text: SPACE + word, starts: [at, ...starts], ends: [at, ...ends] }, 0);
      }
      i = j;
    }
  }

  protected decodeIds(ids: readonly number[]): string {
    let out = '';
    let bytes: number[] = [];
    let first = true;
    const flushBytes = (): void => {
      if (bytes.length > 0) out += utf8Decode(Uint8Array.from(bytes));
      bytes = [];
    };
    const addText = (piece: string): void => {
      let p = piece;
      if (first && !this.proto.trainerSpec.treatWhitespaceAsSuffix && p.startsWith(SPACE)) {
        if (this.proto.normalizerSpec.addDummyPrefix || this.normalization === 'huggingface')
          p = p.slice(1);
      }
      out += p.replaceAll(SPACE, ' ');
      if (piece.length > 0) first = false;
    };
    for (const id of ids) {
      const piece = this.proto.pieces[id] as SentencePieceModelProto['pieces'][number];
      if (piece.type === 'byte') {
        const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece.piece);
        if (m?.[1] !== undefined) {
          bytes.push(Number.parseInt(m[1], 16));
          first = false;
          continue;
        }
      }
      flushBytes();
      if (piece.type === 'control') {
        if (this.decodeSpecialTokens) {
          out += piece.piece;
          first = false;
        }
      } else if (piece.type === 'unknown') {
        out += this.unkSurface;
        first = false;
      } else addText(piece.piece);
    }
    flushBytes();
    return this.cleanUpTokenizationSpaces ? cleanUpTokenization(out) : out;
  }

  override getConfig(): TokenizerConfig {
    return {
      ...super.getConfig(),
      proto: Buffer.from(serializeSentencePieceModel(this.proto)).toString('base64'),
      normalization: this.normalization,
      decode_special_tokens: this.decodeSpecialTokens,
      unk_surface: this.unkSurface,
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
    if (typeof c.proto !== 'string') {
      throw new ValueError(
        'SentencePieceTokenizer.fromConfig: expected config.proto, the base64 bytes of the model.',
      );
    }
    const tokenizer = new SentencePieceTokenizer({
      ...Tokenizer.baseArgs(config),
      proto: new Uint8Array(Buffer.from(c.proto, 'base64')),
      normalization: c.normalization as 'sentencepiece' | 'huggingface',
      decodeSpecialTokens: c.decode_special_tokens as boolean,
      unkSurface: c.unk_surface as string,
      cleanUpTokenizationSpaces: c.clean_up_tokenization_spaces as boolean,
    });
    return tokenizer as unknown as T;
  }
}

saving.registerSerializable('keras_hub')(SentencePieceTokenizer);
