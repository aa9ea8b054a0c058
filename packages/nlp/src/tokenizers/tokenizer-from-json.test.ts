import { readFileSync } from 'node:fs';
import { backend } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BytePairTokenizer } from './byte-pair-tokenizer.js';
import { SentencePieceTokenizer } from './sentence-piece-tokenizer.js';
import { fixture, miscCases, readJson, swiftCases, transformersJsCases } from './test-utils.js';
import {
  type HuggingFaceTokenizerJson,
  type JsonTokenizer,
  tokenizerFromJson,
} from './tokenizer-from-json.js';
import { cleanUpTokenization, WordPieceTokenizer } from './word-piece-tokenizer.js';

let t5: JsonTokenizer;
const EOS = 1;

beforeAll(async () => {
  await backend.ready();
  t5 = await tokenizerFromJson(fixture('t5-small/tokenizer.json'));
});

describe('tokenizerFromJson', () => {
  it('builds a SentencePieceTokenizer for t5-small (Unigram, precompiled charsmap, Metaspace)', () => {
    expect(t5).toBeInstanceOf(SentencePieceTokenizer);
    expect(t5.vocabularySize()).toBe(32100);
    const cases = transformersJsCases('Xenova/t5-small');
    expect(cases.length).toBe(29);
    for (const [name, c] of cases) {
      const ids = [...t5.tokenize(c.text), EOS];
      expect(ids, name).toEqual(c.ids);
      expect(t5.detokenize(ids), name).toBe(c.decoded);
    }
  });

  it('matches the swift-transformers t5-base cases and the keras-hub T5 expectation', () => {
    const special = new Set(t5.specialTokenIds);
    expect(swiftCases('t5-base').length).toBe(18);
    for (const c of swiftCases('t5-base')) {
      const ids = [...t5.tokenize(c.input), EOS];
      expect(ids, c.input).toEqual(c.encoded.input_ids);
      expect(t5.detokenize(ids)).toBe(c.decoded_with_special);
      expect(t5.detokenize(ids.filter((id) => !special.has(id)))).toBe(c.decoded_without_special);
    }
    const p = readJson<{
      text: string;
      bpe_tokens: string[];
      token_ids: number[];
      decoded_text: string;
    }>('reference/swift-transformers/t5_base_encoded.json');
    const ids = [...t5.tokenize(p.text), EOS];
    expect(ids).toEqual(p.token_ids);
    expect(ids.slice(0, -1).map((id) => t5.idToToken(id))).toEqual(p.bpe_tokens);
    const misc = miscCases('../t5-small/');
    expect(misc.length).toBe(1);
    for (const c of misc) expect(t5.tokenize(c.text ?? '')).toEqual(c.ids);
  });

  it('builds a WordPieceTokenizer for bert-base-uncased with [MASK] etc. matched in text', async () => {
    const bert = await tokenizerFromJson(fixture('bert-base-uncased/tokenizer.json'));
    expect(bert).toBeInstanceOf(WordPieceTokenizer);
    for (const [name, c] of transformersJsCases('Xenova/bert-base-uncased')) {
      if (c.text_pair !== undefined) continue;
      const ids = [101, ...bert.tokenize(c.text), 102];
      expect(ids, name).toEqual(c.ids);
      expect(bert.detokenize(ids), name).toBe(c.decoded);
    }
    expect(bert.tokenize('paris is the [MASK] of france.')).toEqual([
      3000, 2003, 1996, 103, 1997, 2605, 1012,
    ]);
    const [withOffsets] = miscCases('../bert-base-uncased/tokenizer.json');
    expect(bert.tokenizeWithOffsets(withOffsets?.text ?? '').offsets).toEqual(withOffsets?.offsets);
  });

  it('builds a BytePairTokenizer for gpt2 from a parsed object', async () => {
    const json = JSON.parse(
      readFileSync(fixture('gpt2/tokenizer.json'), 'utf8'),
    ) as HuggingFaceTokenizerJson;
    const gpt2 = await tokenizerFromJson(json);
    expect(gpt2).toBeInstanceOf(BytePairTokenizer);
    for (const [name, c] of transformersJsCases('Xenova/gpt2')) {
      const ids = gpt2.tokenize(c.text);
      expect(ids, name).toEqual(c.ids);
      expect(cleanUpTokenization(gpt2.detokenize(ids)), name).toBe(c.decoded);
    }
    expect(gpt2.tokenize('a<|endoftext|>b')).toEqual([64, 50256, 65]);
  });

  it('names what it cannot load', async () => {
    await expect(tokenizerFromJson({} as HuggingFaceTokenizerJson)).rejects.toThrow(
      /expected a tokenizer.json object with a "model" entry/,
    );
    await expect(tokenizerFromJson({ model: { type: 'WordLevel', vocab: {} } })).rejects.toThrow(
      /model type "WordLevel" is not supported/,
    );
    await expect(
      tokenizerFromJson({
        model: { type: 'BPE', vocab: { a: 0 }, merges: [] },
        pre_tokenizer: { type: 'Whitespace' },
      }),
    ).rejects.toThrow(/pre-tokenizer is ByteLevel/);
  });
});
