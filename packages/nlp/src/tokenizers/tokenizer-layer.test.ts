import { backend, Input, Layer, layers, Model, saving, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteTokenizer } from './byte-tokenizer.js';
import { WordPieceTokenizer } from './word-piece-tokenizer.js';

const vocabulary = ['[PAD]', '[UNK]', 'the', 'quick', 'brown', 'fox', '.'];

beforeAll(async () => {
  await backend.ready();
});

describe('tokenizers as layers', () => {
  it('are core Layers with int32 output, no weights and Keras names', () => {
    const t = new WordPieceTokenizer({ vocabulary, sequenceLength: 4 });
    expect(t).toBeInstanceOf(Layer);
    expect(t.dtype).toBe('int32');
    expect(t.trainable).toBe(false);
    expect(t.weights).toEqual([]);
    expect(t.name).toMatch(/^word_piece_tokenizer(_\d+)?$/);
    expect(new ByteTokenizer({ name: 'bytes' }).name).toBe('bytes');
  });

  it('tokenizes a string Input inside a functional model, feeding an Embedding', () => {
    const t = new WordPieceTokenizer({ vocabulary, sequenceLength: 4 });
    const input = Input({ shape: [], dtype: 'string' });
    const ids = t.apply(input);
    expect(ids.shape).toEqual([null, 4]);
    expect(ids.dtype).toBe('int32');
    const embed = new layers.Embedding({ inputDim: vocabulary.length, outputDim: 3 });
    const model = new Model({ inputs: input, outputs: embed.apply(ids) });
    const before = tf.memory().numTensors;
    const texts = tf.tensor1d(['the quick brown fox.', 'fox'], 'string');
    const out = model.apply(texts) as tf.Tensor;
    expect(out.shape).toEqual([2, 4, 3]);
    // Row 2 is [fox, pad, pad, pad]: its embeddings are rows 5, 0, 0, 0 of the table.
    const table = embed.getWeights()[0] as tf.Tensor2D;
    const rows = table.arraySync();
    const got = out.arraySync() as number[][][];
    expect(got[1]?.[0]).toEqual(rows[5]);
    expect(got[1]?.[1]).toEqual(rows[0]);
    // Row 1: the(2) quick(3) brown(4) fox(5); '.' is cut by sequenceLength.
    expect(got[0]?.map((r) => r)).toEqual([rows[2], rows[3], rows[4], rows[5]]);
    tf.dispose([out, texts, table]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('apply on an eager string tensor equals tokenize, and getConfig/fromConfig round-trips', () => {
    const t = new ByteTokenizer({ sequenceLength: 3 });
    const s = tf.scalar('hé', 'string');
    const out = t.apply(s);
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.dataSync())).toEqual([104, 195, 169]);
    const batch = t.tokenize(['a', 'bcde']);
    expect(batch.arraySync()).toEqual([
      [97, 0, 0],
      [98, 99, 100],
    ]);
    const back = ByteTokenizer.fromConfig(t.getConfig());
    expect(back).toBeInstanceOf(ByteTokenizer);
    expect(back.getConfig()).toEqual(t.getConfig());
    tf.dispose([s, out, batch]);
  });

  it('serialize through core as keras_hub>Name and deserialize to the same class and config', () => {
    const t = new WordPieceTokenizer({ vocabulary, sequenceLength: 4, lowercase: true });
    const dict = saving.serializeKerasObject(t);
    expect(dict).toMatchObject({
      module: 'keras_hub',
      class_name: 'WordPieceTokenizer',
      registered_name: 'keras_hub>WordPieceTokenizer',
    });
    const back = saving.deserializeKerasObject(dict);
    expect(back).toBeInstanceOf(WordPieceTokenizer);
    expect((back as WordPieceTokenizer<number>).getConfig()).toEqual(t.getConfig());
  });
});
