import { type LayerVariable, metrics, tf, ValueError } from '@cornu/core';
import { checkSameBatch, ngramCounts, type TextInput, toTokenBatch } from './text-input.js';

/** ROUGE scores of one pair or averaged over the samples seen. */
export interface RougeScores {
  precision: number;
  recall: number;
  f1Score: number;
}

/** rouge-score's tokenizer: lowercase, every run of characters outside [a-z0-9] is a separator. */
export function rougeTokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(/\s+/)
    .filter((t) => /^[a-z0-9]+$/.test(t));
}

function fMeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** ROUGE-N of one pair (rouge-score's `_score_ngrams`). */
export function rougeNScore(
  target: readonly string[],
  prediction: readonly string[],
  order: number,
): RougeScores {
  const t = ngramCounts(target, order);
  const p = ngramCounts(prediction, order);
  let overlap = 0;
  for (const [k, c] of p) overlap += Math.min(c, t.get(k) ?? 0);
  const totalT = Math.max(0, target.length - order + 1);
  const totalP = Math.max(0, prediction.length - order + 1);
  const precision = overlap / Math.max(totalP, 1);
  const recall = overlap / Math.max(totalT, 1);
  return { precision, recall, f1Score: fMeasure(precision, recall) };
}

/** Length of the longest common subsequence. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = [0];
    for (let j = 1; j <= b.length; j++) {
      cur.push(
        a[i - 1] === b[j - 1]
          ? (prev[j - 1] as number) + 1
          : Math.max(prev[j] as number, cur[j - 1] as number),
      );
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/** ROUGE-L of one pair (rouge-score's `_score_lcs`). */
export function rougeLScore(target: readonly string[], prediction: readonly string[]): RougeScores {
  if (target.length === 0 || prediction.length === 0)
    return { precision: 0, recall: 0, f1Score: 0 };
  const lcs = lcsLength(target, prediction);
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  return { precision, recall, f1Score: fMeasure(precision, recall) };
}

/** Shared state of `RougeN` and `RougeL`: sums of the per-sample scores and the sample count. */
abstract class RougeBase extends metrics.Metric {
  private readonly sums: LayerVariable;
  private readonly samples: LayerVariable;

  constructor(args: metrics.MetricArgs) {
    super(args);
    this.sums = this.addVariable('sums', [3]);
    this.samples = this.addVariable('number_of_samples');
  }

  protected abstract score(target: string[], prediction: string[]): RougeScores;

  /** Scores each (reference, prediction) pair; strings are tokenized as rouge-score does. */
  override updateState(yTrue: TextInput, yPred?: TextInput): void {
    const truth = toTokenBatch(yTrue, rougeTokenize, this.who, 'yTrue');
    const pred = toTokenBatch(yPred ?? [], rougeTokenize, this.who, 'yPred');
    checkSameBatch(this.who, truth.length, pred.length);
    let precision = 0;
    let recall = 0;
    let f1 = 0;
    truth.forEach((t, i) => {
      const s = this.score(t, pred[i] as string[]);
      precision += s.precision;
      recall += s.recall;
      f1 += s.f1Score;
    });
    const sums = [precision, recall, f1];
    tf.tidy(() => {
      this.sums.assign(tf.add(this.sums.read(), tf.tensor1d(sums)));
      this.samples.assign(tf.add(this.samples.read(), truth.length));
    });
  }

  /** `[precision, recall, f1_score]` averaged over the samples (zeros before any update). */
  override result(): tf.Tensor {
    return tf.tidy(() => tf.div(this.sums.read(), tf.maximum(this.samples.read(), 1)));
  }

  /** `result()` as named numbers (KerasHub returns this dict). */
  resultDict(): RougeScores {
    const r = this.result();
    const [precision = 0, recall = 0, f1Score = 0] = Array.from(r.dataSync());
    r.dispose();
    return { precision, recall, f1Score };
  }
}

export interface RougeNArgs extends metrics.MetricArgs {
  /** n-gram order. @default 2 */
  order?: number;
}

/**
 * ROUGE-N (KerasHub `RougeN`, rouge-score's `rougeN`): n-gram precision, recall and F1 of each
 * prediction against its reference, averaged over samples. Strings are lowercased and split on
 * non-alphanumerics like rouge-score (no stemming).
 */
export class RougeN extends RougeBase {
  static override readonly className: string = 'RougeN';
  readonly order: number;

  constructor(args: RougeNArgs = {}) {
    super({ name: 'rouge-n', ...args });
    const { order = 2 } = args;
    if (!Number.isInteger(order) || order < 1 || order > 9) {
      throw new ValueError(
        `${this.who}: order must be an integer in [1, 9]. Received: order=${order}.`,
      );
    }
    this.order = order;
  }

  protected score(target: string[], prediction: string[]): RougeScores {
    return rougeNScore(target, prediction, this.order);
  }

  override getConfig(): ReturnType<metrics.Metric['getConfig']> {
    return { ...super.getConfig(), order: this.order, use_stemmer: false };
  }
}

/**
 * ROUGE-L (KerasHub `RougeL`, rouge-score's `rougeL`): longest-common-subsequence precision,
 * recall and F1, averaged over samples.
 */
export class RougeL extends RougeBase {
  static override readonly className: string = 'RougeL';

  constructor(args: metrics.MetricArgs = {}) {
    super({ name: 'rouge-l', ...args });
  }

  protected score(target: string[], prediction: string[]): RougeScores {
    return rougeLScore(target, prediction);
  }

  override getConfig(): ReturnType<metrics.Metric['getConfig']> {
    return { ...super.getConfig(), use_stemmer: false };
  }
}
