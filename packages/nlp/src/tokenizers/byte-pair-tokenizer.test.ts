import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BytePairTokenizer } from './byte-pair-tokenizer.js';
import {
  fixture,
  llamaCppCases,
  miscCases,
  randomUnicode,
  readJson,
  seededRandom,
  swiftCases,
  transformersJsCases,
} from './test-utils.js';
import { cleanUpTokenization } from './word-piece-tokenizer.js';

let gpt2: BytePairTokenizer;

beforeAll(async () => {
  await backend.ready();
  gpt2 = await BytePairTokenizer.fromFiles(fixture('gpt2/vocab.json'), fixture('gpt2/merges.txt'), {
    specialTokens: ['<|endoftext|>'],
  });
});

describe('BytePairTokenizer parity with GPT-2', () => {
  it('reproduces every transformers.js case; decoded text is the input (HF also cleans spaces)', () => {
    const cases = transformersJsCases('Xenova/gpt2');
    expect(cases.length).toBe(26);
    for (const [name, c] of cases) {
      const ids = gpt2.tokenize(c.text);
      expect(ids, name).toEqual(c.ids);
      expect(
        ids.map((id) => gpt2.idToToken(id)),
        name,
      ).toEqual(c.tokens);
      expect(gpt2.detokenize(ids), name).toBe(c.text);
      expect(cleanUpTokenization(gpt2.detokenize(ids)), name).toBe(c.decoded);
    }
  });

  it('reproduces the 46 llama.cpp gpt-2 cases', () => {
    const cases = llamaCppCases('ggml-vocab-gpt-2.gguf.out');
    expect(cases.length).toBe(46);
    for (const [text, ids] of cases) expect(gpt2.tokenize(text), JSON.stringify(text)).toEqual(ids);
  });

  it('reproduces the swift-transformers distilgpt2 cases and paragraph', () => {
    expect(swiftCases('distilgpt2').length).toBe(18);
    for (const c of swiftCases('distilgpt2')) {
      const ids = gpt2.tokenize(c.input);
      expect(ids, c.input).toEqual(c.encoded.input_ids);
      expect(cleanUpTokenization(gpt2.detokenize(ids))).toBe(c.decoded_without_special);
    }
    const p = readJson<{
      text: string;
      bpe_tokens: string[];
      token_ids: number[];
      decoded_text: string;
    }>('reference/swift-transformers/gpt2_encoded_tokens.json');
    const ids = gpt2.tokenize(p.text);
    expect(ids).toEqual(p.token_ids);
    expect(ids.map((id) => gpt2.idToToken(id))).toEqual(p.bpe_tokens);
    expect(gpt2.detokenize(ids)).toBe(p.decoded_text);
  });

  it('reproduces the swift-transformers whisper-tiny.en cases (GPT-2 vocabulary inside Whisper specials)', () => {
    // Whisper's English-only tokenizer is GPT-2's byte-level BPE; the reference ids wrap the text
    // in <|startoftranscript|> (50257) <|notimestamps|> (50362) ... <|endoftext|> (50256).
    const cases = swiftCases('openai/whisper-tiny.en');
    expect(cases.length).toBe(18);
    for (const c of cases) {
      const ids = c.encoded.input_ids;
      expect(ids.slice(0, 2), c.input).toEqual([50257, 50362]);
      expect(ids.at(-1), c.input).toBe(50256);
      const text = gpt2.tokenize(c.input);
      expect(text, c.input).toEqual(ids.slice(2, -1));
      expect(cleanUpTokenization(gpt2.detokenize(text)), c.input).toBe(c.decoded_without_special);
      expect(gpt2.detokenize([...text, 50256])).toBe(`${gpt2.detokenize(text)}<|endoftext|>`);
    }
  });

  it('reproduces the GPT-3-Encoder and keras-hub cases', () => {
    const cases = miscCases('../gpt2/');
    expect(cases.length).toBe(8);
    for (const c of cases) expect(gpt2.tokenize(c.text ?? ''), c.text).toEqual(c.ids);
  });
});

describe('BytePairTokenizer behaviour', () => {
  it('round-trips random Unicode (emoji, combining marks, RTL, CJK) exactly', () => {
    const rand = seededRandom(7);
    for (let k = 0; k < 300; k++) {
      const s = randomUnicode(rand, 40);
      expect(gpt2.detokenize(gpt2.tokenize(s)), JSON.stringify(s)).toBe(s);
    }
  });

  it('gives character offsets, widened to whole characters for split UTF-8', () => {
    const out = gpt2.tokenizeWithOffsets('hello 👋 world');
    expect(out.ids).toEqual([31373, 50169, 233, 995]);
    expect(out.offsets).toEqual([
      [0, 5],
      [5, 8],
      [6, 8],
      [8, 14],
    ]);
  });

  it('keeps unsplittable special tokens whole with specialTokensInStrings', () => {
    const t = new BytePairTokenizer({
      vocabulary: Object.fromEntries(gpt2.getVocabulary().map((tok, id) => [tok, id])),
      merges: [...gpt2.merges],
      specialTokens: ['<|endoftext|>'],
      specialTokensInStrings: true,
    });
    expect(t.tokenize('Hello<|endoftext|> world')).toEqual([15496, 50256, 995]);
    expect(gpt2.tokenize('Hello<|endoftext|>')).not.toContain(50256);
    expect(t.detokenize([15496, 50256, 995])).toBe('Hello<|endoftext|> world');
  });

  it('merges by rank on a hand-built vocabulary, with addPrefixSpace', () => {
    const vocabulary = ['a', 'b', 'c', 'Ġ', 'ab', 'abc', 'Ġa', 'Ġab'];
    const merges = ['Ġ a', 'a b', 'ab c', 'Ġa b'];
    const t = new BytePairTokenizer({ vocabulary, merges });
    expect(t.tokenize('abc abab')).toEqual([5, 7, 4]);
    expect(t.tokenize('cab')).toEqual([2, 4]);
    const p = new BytePairTokenizer({ vocabulary, merges, addPrefixSpace: true });
    expect(p.tokenize('ab')).toEqual([7]);
  });

  it('pads to sequenceLength, and round-trips its config', () => {
    const t = new BytePairTokenizer({
      vocabulary: ['a', 'b', 'ab'],
      merges: ['a b'],
      sequenceLength: 3,
      name: 'bpe',
    });
    const x = t.tokenize(['ab', 'aab b']);
    expect(x.arraySync()).toEqual([
      [2, 0, 0],
      [0, 2, 1],
    ]);
    x.dispose();
    const back = BytePairTokenizer.fromConfig(t.getConfig());
    expect(back.getConfig()).toEqual(t.getConfig());
    expect(back.sequenceLength).toBe(3);
  });

  it('answers vocabulary queries and validates its arguments', () => {
    expect(gpt2.vocabularySize()).toBe(50257);
    expect(gpt2.tokenToId('<|endoftext|>')).toBe(50256);
    expect(gpt2.idToToken(995)).toBe('Ġworld');
    expect(() => new BytePairTokenizer({ vocabulary: {}, merges: [] })).toThrow(
      /vocabulary must not be empty/,
    );
    expect(() => new BytePairTokenizer({ vocabulary: ['a'], merges: ['ab'] })).toThrow(
      /merge 0 must be 'left right'/,
    );
    expect(() => gpt2.idToToken(-1)).toThrow(/id -1 is out of range/);
    const before = tf.memory().numTensors;
    gpt2.tokenize(['a', 'b']);
    expect(tf.memory().numTensors).toBe(before);
  });
});
