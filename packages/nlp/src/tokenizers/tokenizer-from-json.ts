import { NotImplementedError, ValueError } from '@cornu/core';
import { BytePairTokenizer } from './byte-pair-tokenizer.js';
import type { SentencePiece, SentencePieceModelProto } from './sentence-piece-proto.js';
import { SentencePieceTokenizer } from './sentence-piece-tokenizer.js';
import { readText } from './vocabulary.js';
import { WordPieceTokenizer } from './word-piece-tokenizer.js';

/** The parts of a Hugging Face `tokenizer.json` that Cornu reads. */
export interface HuggingFaceTokenizerJson {
  added_tokens?: { id: number; content: string; special?: boolean }[];
  normalizer?: HuggingFaceComponent | null;
  pre_tokenizer?: HuggingFaceComponent | null;
  decoder?: HuggingFaceComponent | null;
  model: {
    type?: string;
    vocab: Record<string, number> | [string, number][];
    merges?: (string | [string, string])[];
    unk_token?: string | null;
    unk_id?: number | null;
    continuing_subword_prefix?: string | null;
    max_input_chars_per_word?: number;
    byte_fallback?: boolean;
  };
}

/** A normalizer, pre-tokenizer or decoder entry (`{ type, ... }`). */
export type HuggingFaceComponent = { type: string } & Record<string, unknown>;

export type JsonTokenizer =
  | WordPieceTokenizer<undefined>
  | BytePairTokenizer<undefined>
  | SentencePieceTokenizer<undefined>;

/** Every component of a (possibly `Sequence`) normalizer / pre-tokenizer / decoder. */
function flatten(component: HuggingFaceComponent | null | undefined): HuggingFaceComponent[] {
  if (component === null || component === undefined) return [];
  const inner = component.normalizers ?? component.pretokenizers ?? component.decoders;
  if (component.type === 'Sequence' && Array.isArray(inner)) {
    return (inner as HuggingFaceComponent[]).flatMap((c) => flatten(c));
  }
  return [component];
}

function modelType(json: HuggingFaceTokenizerJson): string {
  const m = json.model;
  if (typeof m.type === 'string') return m.type;
  if (Array.isArray(m.vocab)) return 'Unigram';
  if (Array.isArray(m.merges)) return 'BPE';
  return 'WordPiece';
}

function specials(json: HuggingFaceTokenizerJson): string[] {
  return (json.added_tokens ?? []).filter((t) => t.special !== false).map((t) => t.content);
}

function byId(vocab: Record<string, number>): string[] {
  const out: string[] = [];
  for (const [token, id] of Object.entries(vocab)) out[id] = token;
  for (let i = 0; i < out.length; i++) if (out[i] === undefined) out[i] = `<unused_${i}>`;
  return out;
}

function wordPiece(json: HuggingFaceTokenizerJson): WordPieceTokenizer {
  const bert = flatten(json.normalizer).find((c) => c.type === 'BertNormalizer');
  const lowercase = bert?.lowercase === true;
  const stripAccents = typeof bert?.strip_accents === 'boolean' ? bert.strip_accents : lowercase;
  const decoder = flatten(json.decoder).find((c) => c.type === 'WordPiece');
  return new WordPieceTokenizer({
    vocabulary: byId(json.model.vocab as Record<string, number>),
    lowercase,
    stripAccents,
    splitOnCjk: bert?.handle_chinese_chars !== false,
    suffixIndicator: json.model.continuing_subword_prefix ?? '##',
    oovToken: json.model.unk_token ?? '[UNK]',
    maxCharsPerWord: json.model.max_input_chars_per_word ?? 100,
    cleanUpTokenizationSpaces: decoder?.cleanup !== false,
    specialTokens: specials(json),
    specialTokensInStrings: true,
  });
}

function bytePair(json: HuggingFaceTokenizerJson): BytePairTokenizer {
  const byteLevel = flatten(json.pre_tokenizer).find((c) => c.type === 'ByteLevel');
  if (byteLevel === undefined) {
    throw new NotImplementedError(
      `tokenizerFromJson: BPE models load when the pre-tokenizer is ByteLevel (GPT-2 style). Received pre_tokenizer ${JSON.stringify(json.pre_tokenizer?.type ?? null)}.`,
    );
  }
  return new BytePairTokenizer({
    vocabulary: json.model.vocab as Record<string, number>,
    merges: json.model.merges ?? [],
    addPrefixSpace: byteLevel.add_prefix_space === true,
    ...(typeof json.model.unk_token === 'string' ? { unkToken: json.model.unk_token } : {}),
    specialTokens: specials(json),
    specialTokensInStrings: true,
  });
}

function unigram(json: HuggingFaceTokenizerJson): SentencePieceTokenizer {
  const vocab = json.model.vocab as [string, number][];
  const special = new Set(specials(json));
  const unkId = json.model.unk_id ?? -1;
  const pieces: SentencePiece[] = vocab.map(([piece, score], id) => ({
    piece,
    score,
    type: id === unkId ? 'unknown' : special.has(piece) ? 'control' : 'normal',
  }));
  const idOf = (piece: string): number => vocab.findIndex(([p]) => p === piece);
  const precompiled = flatten(json.normalizer).find((c) => c.type === 'Precompiled');
  const charsmap =
    typeof precompiled?.precompiled_charsmap === 'string'
      ? new Uint8Array(Buffer.from(precompiled.precompiled_charsmap, 'base64'))
      : new Uint8Array(0);
  const proto: SentencePieceModelProto = {
    pieces,
    trainerSpec: {
      modelType: 'unigram',
      vocabSize: pieces.length,
      byteFallback: json.model.byte_fallback === true,
      treatWhitespaceAsSuffix: false,
      unkId,
      bosId: idOf('<s>'),
      eosId: idOf('</s>'),
      padId: idOf('<pad>'),
      unkSurface: pieces[unkId]?.piece ?? ' \u2047 ',
    },
    normalizerSpec: {
      name: precompiled === undefined ? 'identity' : 'precompiled',
      precompiledCharsmap: charsmap,
      addDummyPrefix: true,
      removeExtraWhitespaces: true,
      escapeWhitespaces: true,
    },
  };
  return new SentencePieceTokenizer({
    proto,
    normalization: 'huggingface',
    decodeSpecialTokens: true,
    cleanUpTokenizationSpaces: true,
    specialTokens: [...special].filter((s) => vocab.some(([p]) => p === s)),
    specialTokensInStrings: true,
  });
}

/**
 * Builds the Cornu tokenizer that matches a Hugging Face `tokenizer.json`: WordPiece ->
 * `WordPieceTokenizer`, byte-level BPE -> `BytePairTokenizer`, Unigram ->
 * `SentencePieceTokenizer`. Added special tokens are matched inside input strings.
 *
 * @example
 * const tokenizer = await tokenizerFromJson('bert-base-uncased/tokenizer.json');
 */
export async function tokenizerFromJson(
  pathOrJson: string | URL | HuggingFaceTokenizerJson,
): Promise<JsonTokenizer> {
  const json =
    typeof pathOrJson === 'string' || pathOrJson instanceof URL
      ? (JSON.parse(await readText(pathOrJson)) as HuggingFaceTokenizerJson)
      : pathOrJson;
  if (
    json === null ||
    typeof json !== 'object' ||
    typeof json.model !== 'object' ||
    json.model === null
  ) {
    throw new ValueError(
      'tokenizerFromJson: expected a tokenizer.json object with a "model" entry.',
    );
  }
  const type = modelType(json);
  if (type === 'WordPiece') return wordPiece(json);
  if (type === 'BPE') return bytePair(json);
  if (type === 'Unigram') return unigram(json);
  throw new NotImplementedError(
    `tokenizerFromJson: model type ${JSON.stringify(type)} is not supported; expected WordPiece, BPE or Unigram.`,
  );
}
