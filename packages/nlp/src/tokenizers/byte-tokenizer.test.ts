import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteTokenizer } from './byte-tokenizer.js';
import { randomUnicode, seededRandom } from './test-utils.js';
import { UnicodeCodepointTokenizer } from './unicode-codepoint-tokenizer.js';

beforeAll(async () => {
  await backend.ready();
});

describe('ByteTokenizer', () => {
  it('maps text to its UTF-8 bytes, lowercased by default (as KerasHub)', () => {
    expect(new ByteTokenizer().tokenize('Hé')).toEqual([104, 195, 169]);
    expect(new ByteTokenizer({ lowercase: false }).tokenize(['Hé', '🦙'])).toEqual([
      [72, 195, 169],
      [240, 159, 166, 153],
    ]);
    expect(new ByteTokenizer({ lowercase: false, normalizationForm: 'NFD' }).tokenize('é')).toEqual(
      [101, 204, 129],
    );
  });

  it('round-trips random Unicode exactly', () => {
    const t = new ByteTokenizer({ lowercase: false });
    const rand = seededRandom(11);
    for (let k = 0; k < 300; k++) {
      const s = randomUnicode(rand, 40);
      expect(t.detokenize(t.tokenize(s))).toBe(s);
    }
  });

  it('handles invalid UTF-8 with errors replace / ignore / strict', () => {
    const bad = [104, 0xff, 105, 0xe2, 0x82];
    expect(new ByteTokenizer({ errors: 'replace' }).detokenize(bad)).toBe('h\ufffdi\ufffd');
    expect(new ByteTokenizer({ errors: 'replace', replacementChar: 63 }).detokenize(bad)).toBe(
      'h?i?',
    );
    expect(new ByteTokenizer({ errors: 'ignore' }).detokenize(bad)).toBe('hi');
    expect(() => new ByteTokenizer({ errors: 'strict' }).detokenize(bad)).toThrow(
      /invalid UTF-8 at byte 1/,
    );
  });

  it('gives per-byte offsets, pads to sequenceLength and round-trips its config', () => {
    const t = new ByteTokenizer({ sequenceLength: 4, lowercase: false });
    expect(t.tokenizeWithOffsets('aé').offsets).toEqual([
      [0, 1],
      [1, 2],
      [1, 2],
    ]);
    const x = t.tokenize(['aé', 'abcdef']);
    expect(x.arraySync()).toEqual([
      [97, 195, 169, 0],
      [97, 98, 99, 100],
    ]);
    x.dispose();
    expect(ByteTokenizer.fromConfig(t.getConfig()).getConfig()).toEqual(t.getConfig());
    expect(t.vocabularySize()).toBe(256);
    expect(t.tokenToId(t.idToToken(200))).toBe(200);
    expect(() => t.idToToken(256)).toThrow(/id 256 is out of range/);
  });
});

describe('UnicodeCodepointTokenizer', () => {
  it('maps text to code points, lowercased by default', () => {
    expect(new UnicodeCodepointTokenizer().tokenize('Hé🦙')).toEqual([104, 233, 129433]);
    expect(new UnicodeCodepointTokenizer({ lowercase: false }).tokenizeWithOffsets('A🦙')).toEqual({
      ids: [65, 129433],
      offsets: [
        [0, 1],
        [1, 3],
      ],
    });
  });

  it('round-trips random Unicode exactly', () => {
    const t = new UnicodeCodepointTokenizer({ lowercase: false });
    const rand = seededRandom(13);
    for (let k = 0; k < 300; k++) {
      const s = randomUnicode(rand, 40);
      expect(t.detokenize(t.tokenize(s))).toBe(s);
    }
  });

  it('clamps to vocabularySize and replaces lone surrogates', () => {
    const t = new UnicodeCodepointTokenizer({ vocabularySize: 256, lowercase: false });
    expect(t.tokenize('aé€')).toEqual([97, 233, 255]);
    expect(new UnicodeCodepointTokenizer().tokenize('a\ud800b')).toEqual([97, 65533, 98]);
    expect(new UnicodeCodepointTokenizer({ errors: 'ignore' }).tokenize('a\udc00b')).toEqual([
      97, 98,
    ]);
    expect(() => new UnicodeCodepointTokenizer({ errors: 'strict' }).tokenize('a\ud800')).toThrow(
      /lone surrogate U\+D800 at index 1/,
    );
    expect(() => new UnicodeCodepointTokenizer({ vocabularySize: 0 })).toThrow(
      /vocabularySize must be an integer/,
    );
  });

  it('applies to a string tensor and round-trips its config without leaking tensors', () => {
    const t = new UnicodeCodepointTokenizer({ sequenceLength: 3 });
    const before = tf.memory().numTensors;
    const input = tf.scalar('Ab', 'string');
    const out = t.apply(input);
    expect(out.arraySync()).toEqual([97, 98, 0]);
    tf.dispose([input, out]);
    expect(tf.memory().numTensors).toBe(before);
    expect(UnicodeCodepointTokenizer.fromConfig(t.getConfig()).getConfig()).toEqual(t.getConfig());
  });
});
