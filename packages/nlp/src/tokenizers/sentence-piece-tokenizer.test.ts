import { readFileSync } from 'node:fs';
import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSentencePieceModel, serializeSentencePieceModel } from './sentence-piece-proto.js';
import { SentencePieceTokenizer } from './sentence-piece-tokenizer.js';
import {
  fixture,
  llamaCppCases,
  miscCases,
  readJson,
  swiftCases,
  transformersJsCases,
} from './test-utils.js';

let llama: SentencePieceTokenizer;
const BOS = 1;

beforeAll(async () => {
  await backend.ready();
  llama = await SentencePieceTokenizer.fromModel(fixture('sentencepiece/llama2_tokenizer.model'));
});

describe('SentencePieceTokenizer parity with Llama 2 (BPE, byte fallback)', () => {
  it('reads the model protobuf', () => {
    expect(llama.vocabularySize()).toBe(32000);
    expect(llama.proto.trainerSpec).toMatchObject({
      modelType: 'bpe',
      byteFallback: true,
      unkId: 0,
      bosId: 1,
      eosId: 2,
      padId: -1,
    });
    expect(llama.proto.normalizerSpec).toMatchObject({
      name: 'identity',
      addDummyPrefix: true,
      removeExtraWhitespaces: false,
    });
    expect(llama.idToToken(3)).toBe('<0x00>');
  });

  it('reproduces every transformers.js case (BOS added as the reference does)', () => {
    const cases = transformersJsCases('Xenova/llama-tokenizer');
    expect(cases.length).toBe(37);
    for (const [name, c] of cases) {
      const ids = [BOS, ...llama.tokenize(c.text)];
      expect(ids, name).toEqual(c.ids);
      expect(`<s> ${llama.detokenize(ids)}`, name).toBe(c.decoded);
    }
  });

  it('reproduces the 46 llama.cpp llama-spm cases', () => {
    const cases = llamaCppCases('ggml-vocab-llama-spm.gguf.out');
    expect(cases.length).toBe(46);
    for (const [text, ids] of cases)
      expect(llama.tokenize(text), JSON.stringify(text)).toEqual(ids);
  });

  it('reproduces the swift-transformers, llama2.c and keras-hub cases', () => {
    expect(swiftCases('coreml-projects/Llama-2-7b-chat-coreml').length).toBe(18);
    for (const c of swiftCases('coreml-projects/Llama-2-7b-chat-coreml')) {
      const ids = [BOS, ...llama.tokenize(c.input)];
      expect(ids, c.input).toEqual(c.encoded.input_ids);
      expect(llama.detokenize(ids)).toBe(c.decoded_without_special);
    }
    const p = readJson<{
      text: string;
      bpe_tokens: string[];
      token_ids: number[];
      decoded_text: string;
    }>('reference/swift-transformers/llama_encoded.json');
    const ids = [BOS, ...llama.tokenize(p.text)];
    expect(ids).toEqual(p.token_ids);
    expect(ids.slice(1).map((id) => llama.idToToken(id))).toEqual(p.bpe_tokens);
    expect(`<s> ${llama.detokenize(ids)}`).toBe(p.decoded_text);
    const misc = miscCases('../sentencepiece/llama2');
    expect(misc.length).toBe(6);
    for (const c of misc) {
      const got = llama.tokenize(c.text ?? '');
      expect(c.add_special === true ? [BOS, ...got] : got, c.text).toEqual(c.ids);
    }
  });

  it('gives offsets into the input, zero-width for the dummy prefix', () => {
    const out = llama.tokenizeWithOffsets('Hi 🦙');
    expect(out.ids).toEqual(llama.tokenize('Hi 🦙'));
    expect(out.offsets[0]).toEqual([0, 2]);
    expect(out.offsets.at(-1)).toEqual([3, 5]);
  });
});

describe('SentencePieceTokenizer on other models', () => {
  it('runs unigram Viterbi with nmt_nfkc normalization (sentencepiece python test model)', async () => {
    const t = await SentencePieceTokenizer.fromModel(
      fixture('sentencepiece/sentencepiece_test_model.model'),
    );
    const [c] = miscCases('../sentencepiece/sentencepiece_test_model');
    expect(t.proto.trainerSpec.modelType).toBe('unigram');
    expect(t.vocabularySize()).toBe(c?.facts?.piece_size);
    expect(['<unk>', '<s>', '</s>'].map((p) => t.tokenToId(p))).toEqual(
      ['<unk>', '<s>', '</s>'].map((p) => c?.facts?.[p]),
    );
    expect(t.proto.trainerSpec.padId).toBe(c?.facts?.pad_id);
    expect(t.tokenize(c?.text ?? '').map((id) => t.idToToken(id))).toEqual(c?.pieces);
    expect(t.detokenize(t.tokenize(' hello  world '))).toBe('hello world');
    // NFKC through the charsmap: full-width letters and the ligature normalize to ASCII.
    expect(t.tokenize('ｈｅｌｌｏ ﬁne')).toEqual(t.tokenize('hello fine'));
  });

  it('reproduces the keras-hub tiny test protos', async () => {
    const cases = miscCases('../sentencepiece/keras_hub');
    expect(cases.length).toBe(4);
    for (const c of cases) {
      const t = await SentencePieceTokenizer.fromModel(fixture(c.fixture.replace('../', '')));
      expect(t.tokenize(c.texts ?? [])).toEqual(c.ids);
      if (c.pieces_for_first !== undefined) {
        expect(t.tokenize(c.texts?.[0] ?? '').map((id) => t.idToToken(id))).toEqual(
          c.pieces_for_first,
        );
      }
    }
  });

  it('serializes its proto so that getConfig -> fromConfig round-trips', () => {
    const bytes = new Uint8Array(
      readFileSync(fixture('sentencepiece/sentencepiece_test_model.model')),
    );
    const proto = parseSentencePieceModel(bytes);
    const again = parseSentencePieceModel(serializeSentencePieceModel(proto));
    expect(again.pieces).toEqual(proto.pieces);
    expect(again.trainerSpec).toEqual(proto.trainerSpec);
    const t = new SentencePieceTokenizer({ proto: bytes, sequenceLength: 6 as const });
    const back = SentencePieceTokenizer.fromConfig(t.getConfig());
    const a = t.tokenize(['hello world']);
    const b = back.tokenize(['hello world']) as tf.Tensor2D;
    expect(b.arraySync()).toEqual(a.arraySync());
    expect(a.shape).toEqual([1, 6]);
    tf.dispose([a, b]);
  });

  it('rejects bytes that are not a model', () => {
    expect(() => new SentencePieceTokenizer({ proto: new Uint8Array([0x0a, 0x50]) })).toThrow(
      /runs past the end/,
    );
    expect(() => new SentencePieceTokenizer({ proto: new Uint8Array(0) })).toThrow(
      /non-empty bytes/,
    );
  });
});
