import { backend, tf } from '@cornu/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bleu, tokenize13a } from './bleu.js';
import { EditDistance } from './edit-distance.js';
import { Perplexity } from './perplexity.js';
import { RougeL, RougeN } from './rouge.js';

beforeAll(async () => {
  await backend.ready();
});

function value(t: tf.Tensor): number | number[] {
  const v = t.arraySync() as number | number[];
  t.dispose();
  return v;
}

describe('EditDistance', () => {
  // KerasHub EditDistance docstring examples.
  const ref1 = 'the tiny little cat was found under the big funny bed';
  const hyp1 = 'the cat was found under the bed';
  it('matches KerasHub published values (normalized by reference tokens, accumulated)', () => {
    const m = new EditDistance();
    m.updateState(ref1, hyp1);
    expect(value(m.result())).toBeCloseTo(0.36363637, 6);
    m.resetState();
    m.updateState(
      [ref1, 'it is sunny today'],
      [hyp1, 'it is sunny but with a hint of cloud cover'],
    );
    expect(value(m.result())).toBeCloseTo(0.73333335, 6);
    // Unnormalized: (4 + 7) edits / 2 sequences; token lists are used as they are.
    const raw = new EditDistance({ normalize: false });
    raw.updateState([ref1.split(' ')], [hyp1.split(' ')]);
    raw.updateState(['it is sunny today'], ['it is sunny but with a hint of cloud cover']);
    expect(value(raw.result())).toBeCloseTo(5.5, 6);
    expect(() => raw.updateState(['a', 'b'], ['a'])).toThrow(
      /same number of samples; received 2 and 1/,
    );
  });
});

describe('RougeN and RougeL', () => {
  it('match the rouge-score test suite (rouge_scorer_test.py)', () => {
    const r1 = new RougeN({ order: 1 });
    r1.updateState('testing one two', 'testing');
    expect(r1.resultDict()).toEqual({
      precision: expect.closeTo(1, 6),
      recall: expect.closeTo(1 / 3, 6),
      f1Score: expect.closeTo(1 / 2, 6),
    });
    const r2 = new RougeN({ order: 2 });
    r2.updateState('testing one two', 'testing one');
    expect(r2.resultDict()).toEqual({
      precision: expect.closeTo(1, 6),
      recall: expect.closeTo(1 / 2, 6),
      f1Score: expect.closeTo(2 / 3, 6),
    });
    const l = new RougeL();
    l.updateState('testing one two', 'testing two');
    expect(l.resultDict()).toEqual({
      precision: expect.closeTo(1, 6),
      recall: expect.closeTo(2 / 3, 6),
      f1Score: expect.closeTo(4 / 5, 6),
    });
    const empty = new RougeL();
    empty.updateState('testing one two', '');
    expect(empty.resultDict()).toEqual({ precision: 0, recall: 0, f1Score: 0 });
  });

  it('match the KerasHub docstring values and average over samples', () => {
    const y = 'the tiny little cat was found under the big funny bed';
    const p = 'the cat was under the bed';
    const n = new RougeN();
    n.updateState(y, p);
    const rn = n.resultDict();
    expect(rn.precision).toBeCloseTo(0.4, 6);
    expect(rn.recall).toBeCloseTo(0.2, 6);
    expect(rn.f1Score).toBeCloseTo(0.26666668, 6);
    const l = new RougeL();
    l.updateState(y, p);
    expect(value(l.result())).toEqual([
      expect.closeTo(1, 6),
      expect.closeTo(0.54545456, 6),
      expect.closeTo(0.7058824, 6),
    ]);
    // A second sample with perfect scores: the mean of both.
    l.updateState(['Hello, World!'], ['hello world']);
    expect(l.resultDict().recall).toBeCloseTo((0.54545456 + 1) / 2, 6);
    expect(RougeN.fromConfig(n.getConfig()).getConfig()).toEqual(n.getConfig());
  });
});

describe('Bleu', () => {
  it('matches the torchmetrics BLEUScore docstring example (0.7598)', () => {
    const bleu = new Bleu();
    bleu.updateState(['there is a cat on the mat', 'a cat is on the mat'], 'the cat is on the mat');
    expect(value(bleu.result())).toBeCloseTo(0.7598, 4);
  });

  it('matches nltk corpus_bleu and sentence_bleu docstring values', () => {
    const hyp1 =
      'It is a guide to action which ensures that the military always obeys the commands of the party';
    const ref1a =
      'It is a guide to action that ensures that the military will forever heed Party commands';
    const ref1b =
      'It is the guiding principle which guarantees the military forces always being under the command of the Party';
    const ref1c =
      'It is the practical guide for the army always to heed the directions of the party';
    const hyp2 = 'he read the book because he was interested in world history';
    const ref2a = 'he was interested in world history because he read the book';
    const split = (s: string) => s.split(' ');
    const corpus = new Bleu({ tokenizer: split, referenceLength: 'closest' });
    corpus.updateState([[ref1a, ref1b, ref1c], [ref2a]], [hyp1, hyp2]);
    expect(value(corpus.result())).toBeCloseTo(0.5920778868801042, 6);
    const sentence = new Bleu({ tokenizer: split });
    sentence.updateState([ref1a, ref1b, ref1c], hyp1);
    expect(value(sentence.result())).toBeCloseTo(0.5045666840058485, 6);
  });

  it('matches the sacrebleu README corpus example with 13a tokenization', () => {
    const refs = [
      ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
      ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
    ];
    const sys = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
    const perSentence = sys.map((_, i) => refs.map((stream) => stream[i] as string));
    // sacrebleu: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)
    const closest = new Bleu({ referenceLength: 'closest' });
    closest.updateState(perSentence, sys);
    expect(value(closest.result()) as number).toBeCloseTo(0.4853, 4);
    // KerasHub's shortest reference: ref_len 17 = hyp_len, so no brevity penalty.
    const shortest = new Bleu();
    shortest.updateState(perSentence, sys);
    const geo = Math.exp(
      (Math.log(14 / 17) + Math.log(7 / 14) + Math.log(5 / 11) + Math.log(3 / 8)) / 4,
    );
    expect(value(shortest.result()) as number).toBeCloseTo(geo, 6);
    expect(tokenize13a("It wasn't surprising.")).toEqual(['It', "wasn't", 'surprising', '.']);
    // A dash splits only after a digit; '@' is a symbol; a period splits unless inside a number.
    expect(tokenize13a('Pi is 3.14, e-mail me at a@b.c or 5-6')).toEqual([
      'Pi',
      'is',
      '3.14',
      ',',
      'e-mail',
      'me',
      'at',
      'a',
      '@',
      'b',
      '.',
      'c',
      'or',
      '5',
      '-',
      '6',
    ]);
  });

  it('smooths, returns 0 without 4-gram matches, and keeps state flat in memory', () => {
    const bleu = new Bleu();
    bleu.updateState('a b c', 'a b d');
    expect(value(bleu.result())).toBe(0);
    const smooth = new Bleu({ smooth: true });
    smooth.updateState('a b c', 'a b d');
    // Precisions (2+1)/(3+1), (1+1)/(2+1), (0+1)/(1+1), (0+1)/(0+1); no brevity penalty.
    const expected = Math.exp(
      (Math.log(3 / 4) + Math.log(2 / 3) + Math.log(1 / 2) + Math.log(1)) / 4,
    );
    expect(value(smooth.result())).toBeCloseTo(expected, 6);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) smooth.updateState('a b c', 'a b d');
    expect(tf.memory().numTensors).toBe(before);
    expect(Bleu.fromConfig(smooth.getConfig()).getConfig()).toEqual(smooth.getConfig());
  });
});

describe('Perplexity', () => {
  it('is exp of the mean token cross-entropy (hand-derived), with masking and logits', () => {
    // Token probabilities of the targets: 1/2, 1/4 | 1/8 (masked: target 0).
    const probs = [
      [
        [0.25, 0.5, 0.25],
        [0.25, 0.5, 0.25],
        [0.875, 0.0625, 0.0625],
      ],
    ];
    const yTrue = [[1, 2, 0]];
    const masked = new Perplexity({ maskTokenId: 0 });
    masked.updateState(yTrue, probs);
    // exp((ln 2 + ln 4) / 2) = 2^1.5
    expect(value(masked.result())).toBeCloseTo(2 ** 1.5, 4);
    const all = new Perplexity();
    all.updateState(yTrue, probs);
    // exp((ln 2 + ln 4 + ln(1/0.875)) / 3)
    expect(value(all.result())).toBeCloseTo(
      Math.exp((Math.log(2) + Math.log(4) + Math.log(1 / 0.875)) / 3),
      4,
    );
    const logits = new Perplexity({ fromLogits: true, maskTokenId: 0 });
    const l = tf.tidy(() => tf.add(tf.log(tf.tensor3d(probs)), 3));
    logits.updateState(tf.tensor2d(yTrue, undefined, 'int32'), l);
    expect(value(logits.result())).toBeCloseTo(2 ** 1.5, 4);
    // Uniform predictions over V tokens have perplexity V; sample weights drop the second row.
    const uniform = new Perplexity();
    uniform.updateState(
      [
        [0, 1],
        [2, 2],
      ],
      [
        [
          [0.2, 0.2, 0.2, 0.2, 0.2],
          [0.2, 0.2, 0.2, 0.2, 0.2],
        ],
        [
          [0.9, 0.025, 0.025, 0.025, 0.025],
          [0.9, 0.025, 0.025, 0.025, 0.025],
        ],
      ],
      [1, 0],
    );
    expect(value(uniform.result())).toBeCloseTo(5, 4);
    expect(value(new Perplexity().result())).toBe(0);
    l.dispose();
  });

  it('matches the values of KerasHub perplexity_test.py (logits, probabilities, weights, masks)', () => {
    const yTrue = [
      [1, 3, 0],
      [2, 1, 3],
    ];
    const logits = [
      [
        [1.034, 4.797, 2.82, 1.154],
        [2.258, 1.591, 1.811, 1.852],
        [3.216, 1.037, 0.3662, 2.7],
      ],
      [
        [1.363, 1.726, 1.898, 2.582],
        [1.163, 1.943, 1.761, 1.497],
        [2.766, 1.453, 2.61, 2.805],
      ],
    ];
    const notPad = yTrue.map((row) => row.map((id) => (id === 0 ? 0 : 1)));
    const score = (
      m: Perplexity,
      t: number[][],
      p: number[][][] | tf.Tensor,
      w?: number[][],
    ): number => {
      m.updateState(t, p, w);
      return value(m.result()) as number;
    };
    expect(score(new Perplexity({ fromLogits: true }), yTrue, logits)).toBeCloseTo(2.6542, 3);
    expect(score(new Perplexity({ fromLogits: true }), yTrue, logits, notPad)).toBeCloseTo(
      2.8789,
      3,
    );
    expect(score(new Perplexity({ fromLogits: true, maskTokenId: 0 }), yTrue, logits)).toBeCloseTo(
      2.8789,
      3,
    );
    const weights = [
      [0.5, 0.1, 0.9],
      [1, 0.7, 0.5],
    ];
    expect(
      score(new Perplexity({ fromLogits: true, maskTokenId: 0 }), yTrue, logits, weights),
    ).toBeCloseTo(2.9442, 3);
    const probs = tf.softmax(tf.tensor3d(logits));
    expect(score(new Perplexity(), yTrue, probs, notPad)).toBeCloseTo(2.8789, 3);
    expect(score(new Perplexity({ maskTokenId: 0 }), yTrue, probs)).toBeCloseTo(2.8789, 3);
    probs.dispose();
    // Two updates accumulate: KerasHub's test_update_state.
    const m = new Perplexity({ fromLogits: true, maskTokenId: 0 });
    expect(score(m, yTrue, logits)).toBeCloseTo(2.8789, 3);
    const yTrue2 = [
      [2, 0, 0],
      [1, 2, 3],
    ];
    const logits2 = [
      [
        [2.887, 0.885, 2.973, 2.582],
        [0.3838, 2.629, 1.91, 1.802],
        [0.2578, 1.081, 1.125, 2.773],
      ],
      [
        [1.623, 2.784, 0.2109, 2.66],
        [2.395, 2.01, 0.252, 1.828],
        [0.4482, 2.629, 0.9697, 0.998],
      ],
    ];
    expect(score(m, yTrue2, logits2)).toBeCloseTo(3.9998, 3);
    // (Pooling every token instead would give 3.8563.) A batch with no unmasked token adds nothing.
    expect(
      score(
        m,
        [[0, 0]],
        [
          [
            [1, 2, 3, 4],
            [4, 3, 2, 1],
          ],
        ],
      ),
    ).toBeCloseTo(3.9998, 3);
    m.resetState();
    expect(value(m.result())).toBe(0);
  });

  it('keeps memory flat over repeated updates and checks shapes', () => {
    const m = new Perplexity({ fromLogits: true });
    const yTrue = tf.tensor2d([[1, 0]], undefined, 'int32');
    const yPred = tf.randomNormal([1, 2, 4]);
    m.updateState(yTrue, yPred);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) m.updateState(yTrue, yPred);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => m.updateState(yTrue, tf.zeros([1, 3, 4]))).toThrow(/expected yPred of shape/);
    tf.dispose([yTrue, yPred]);
    expect(m.getConfig()).toMatchObject({
      name: 'perplexity',
      from_logits: true,
      mask_token_id: null,
    });
  });
});
