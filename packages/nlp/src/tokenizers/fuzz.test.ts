import { backend } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BytePairTokenizer } from './byte-pair-tokenizer.js';
import { ByteTokenizer } from './byte-tokenizer.js';
import { SentencePieceTokenizer } from './sentence-piece-tokenizer.js';
import { fixture, seededRandom } from './test-utils.js';
import type { Tokenizer } from './tokenizer.js';
import { tokenizerFromJson } from './tokenizer-from-json.js';
import { UnicodeCodepointTokenizer } from './unicode-codepoint-tokenizer.js';
import { WordPieceTokenizer } from './word-piece-tokenizer.js';

const tokenizers: [string, Tokenizer][] = [];

beforeAll(async () => {
  await backend.ready();
  tokenizers.push(
    [
      'wordpiece',
      await WordPieceTokenizer.fromVocabulary(fixture('bert-base-uncased/vocab.txt'), {
        lowercase: true,
      }),
    ],
    [
      'bpe',
      await BytePairTokenizer.fromFiles(fixture('gpt2/vocab.json'), fixture('gpt2/merges.txt')),
    ],
    [
      'spm-bpe',
      await SentencePieceTokenizer.fromModel(fixture('sentencepiece/llama2_tokenizer.model')),
    ],
    [
      'spm-unigram',
      await SentencePieceTokenizer.fromModel(
        fixture('sentencepiece/sentencepiece_test_model.model'),
      ),
    ],
    ['t5-json', await tokenizerFromJson(fixture('t5-small/tokenizer.json'))],
    ['byte', new ByteTokenizer()],
    ['codepoint', new UnicodeCodepointTokenizer()],
  );
});

/** Any UTF-16 code units, lone surrogates and NULs included. */
function randomUnits(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    const unit =
      r < 0.1
        ? 0
        : r < 0.25
          ? 0xd800 + Math.floor(rand() * 0x800)
          : r < 0.6
            ? Math.floor(rand() * 128)
            : Math.floor(rand() * 0x10000);
    s += String.fromCharCode(unit);
  }
  return s;
}

describe('no input string crashes a tokenizer', () => {
  it('survives lone surrogates, NUL, controls and random code units, with consistent offsets', () => {
    const rand = seededRandom(3);
    const inputs = [
      '',
      '\0',
      '\ud800',
      '\udfff',
      'a\udc00\ud800b',
      '\u0301',
      '\ufeff',
      ' \t\n\r\v\f\u0085\u2028',
    ];
    for (let k = 0; k < 60; k++) inputs.push(randomUnits(rand, 1 + Math.floor(rand() * 30)));
    for (const [name, t] of tokenizers) {
      for (const s of inputs) {
        const ids = t.tokenize(s) as number[];
        const size = t.vocabularySize();
        expect(
          ids.every((id) => Number.isInteger(id) && id >= 0 && id < size),
          `${name} ${JSON.stringify(s)}`,
        ).toBe(true);
        const { ids: again, offsets } = t.tokenizeWithOffsets(s);
        expect(again, name).toEqual(ids);
        for (const [a, b] of offsets)
          expect(
            0 <= a && a <= b && b <= s.length,
            `${name} ${JSON.stringify(s)} [${a}, ${b}]`,
          ).toBe(true);
        expect(typeof t.detokenize(ids)).toBe('string');
      }
    }
  });

  it('handles very long strings quickly', () => {
    const long = `${'a'.repeat(20_000)} ${'🦙'.repeat(5_000)} ${'word '.repeat(5_000)}`;
    for (const [name, t] of tokenizers) {
      const start = performance.now();
      const ids = t.tokenize(long) as number[];
      expect(ids.length, name).toBeGreaterThan(0);
      expect(performance.now() - start, name).toBeLessThan(5_000);
    }
  });
});
