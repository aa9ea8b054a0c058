import { type LayerVariable, metrics, tf, ValueError } from '@cornu/core';
import { ngramCounts, splitWhitespace } from './text-input.js';

/**
 * sacrebleu's `13a` tokenizer (the WMT `mteval-v13a` rules, KerasHub's Bleu default): unescapes a
 * few HTML entities, splits off punctuation and symbols, and periods/commas except inside numbers.
 */
export function tokenize13a(text: string): string[] {
  let line = text.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  line = ` ${line} `;
  line = line.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  line = line.replace(/([^0-9])([.,])/g, '$1 $2 ');
  line = line.replace(/([.,])([^0-9])/g, ' $1 $2');
  line = line.replace(/([0-9])(-)/g, '$1 $2 ');
  return splitWhitespace(line);
}

export interface BleuArgs extends metrics.MetricArgs {
  /** Splits a string into tokens. @default sacrebleu's 13a tokenizer (`tokenize13a`) */
  tokenizer?: (text: string) => string[];
  /** Longest n-gram counted. @default 4 */
  maxOrder?: number;
  /** Add-one smoothing of the n-gram precisions (Lin and Och 2004). @default false */
  smooth?: boolean;
  /**
   * Reference length of a sample with several references: `'shortest'` (KerasHub, TF NMT's
   * compute_bleu) or `'closest'` to the candidate's length, ties to the shorter (sacrebleu, nltk).
   * @default 'shortest'
   */
  referenceLength?: 'shortest' | 'closest';
}

/** Bleu predictions: one string, a batch of strings, or a string tensor of rank 0 or 1. */
export type BleuPredictions = string | readonly string[] | tf.Tensor;
/** Bleu references: per prediction, one string or a list of references (rank 2 tensors may pad with ''). */
export type BleuReferences =
  | string
  | readonly string[]
  | readonly (readonly string[])[]
  | tf.Tensor;

/**
 * Corpus BLEU (Papineni et al. 2002; KerasHub `Bleu`): clipped n-gram matches (against the
 * per-n-gram maximum over a sample's references) and candidate n-gram counts are summed over
 * every sample seen, as are the candidate length and the shortest reference length; the result is
 * the geometric mean of the n-gram precisions times the brevity penalty `exp(1 - r / c)` (when c <= r).
 */
export class Bleu extends metrics.Metric {
  static override readonly className: string = 'Bleu';
  readonly maxOrder: number;
  readonly smooth: boolean;
  readonly tokenizer: (text: string) => string[];
  readonly referenceLength: 'shortest' | 'closest';
  private readonly matches: LayerVariable;
  private readonly possible: LayerVariable;
  private readonly lengths: LayerVariable;

  constructor(args: BleuArgs = {}) {
    super({ name: 'bleu', ...args });
    const {
      maxOrder = 4,
      smooth = false,
      tokenizer = tokenize13a,
      referenceLength = 'shortest',
    } = args;
    if (referenceLength !== 'shortest' && referenceLength !== 'closest') {
      throw new ValueError(
        `${this.who}: referenceLength must be 'shortest' or 'closest'. Received: referenceLength=${JSON.stringify(referenceLength)}.`,
      );
    }
    this.referenceLength = referenceLength;
    if (!Number.isInteger(maxOrder) || maxOrder < 1) {
      throw new ValueError(
        `${this.who}: maxOrder must be a positive integer. Received: maxOrder=${maxOrder}.`,
      );
    }
    this.maxOrder = maxOrder;
    this.smooth = smooth;
    this.tokenizer = tokenizer;
    this.matches = this.addVariable('matches', [maxOrder]);
    this.possible = this.addVariable('possible_matches', [maxOrder]);
    // [translation length, reference length]
    this.lengths = this.addVariable('lengths', [2]);
  }

  private read(yTrue: BleuReferences, yPred: BleuPredictions): [string[][], string[]] {
    const toJs = (x: unknown, what: string): unknown => {
      if (!(x instanceof tf.Tensor)) return x;
      if (x.dtype !== 'string') {
        throw new ValueError(`${this.who}: ${what} must be strings; received a ${x.dtype} tensor.`);
      }
      const v = x.arraySync();
      return x.rank === 2 ? (v as string[][]).map((refs) => refs.filter((r) => r !== '')) : v;
    };
    const pred = toJs(yPred, 'yPred');
    const truth = toJs(yTrue, 'yTrue');
    const batched = Array.isArray(pred);
    const preds = (batched ? pred : [pred]) as unknown[];
    if (!preds.every((p) => typeof p === 'string')) {
      throw new ValueError(`${this.who}: yPred must be a string or a list of strings.`);
    }
    let refs: unknown[];
    if (batched) {
      if (!Array.isArray(truth)) {
        throw new ValueError(
          `${this.who}: yTrue must be a list (one entry per prediction) when yPred is a list.`,
        );
      }
      refs = truth.map((r: unknown) => (typeof r === 'string' ? [r] : r));
    } else refs = [typeof truth === 'string' ? [truth] : truth];
    if (refs.length !== preds.length) {
      throw new ValueError(
        `${this.who}: yTrue and yPred must hold the same number of samples; received ${refs.length} and ${preds.length}.`,
      );
    }
    for (const r of refs) {
      if (!Array.isArray(r) || r.length === 0 || !r.every((x) => typeof x === 'string')) {
        throw new ValueError(
          `${this.who}: each sample needs one or more reference strings; received ${JSON.stringify(r)?.slice(0, 60)}.`,
        );
      }
    }
    return [refs as string[][], preds as string[]];
  }

  /** Adds a sample (`yPred` a string; `yTrue` one reference or a list) or a batch (lists of those). */
  override updateState(yTrue: BleuReferences, yPred?: BleuPredictions): void {
    const [refs, preds] = this.read(yTrue, yPred ?? []);
    const matches = new Array<number>(this.maxOrder).fill(0);
    const possible = new Array<number>(this.maxOrder).fill(0);
    let translationLength = 0;
    let referenceLength = 0;
    preds.forEach((p, i) => {
      const candidate = this.tokenizer(p);
      const references = (refs[i] as string[]).map(this.tokenizer);
      translationLength += candidate.length;
      const lengths = references.map((r) => r.length);
      if (this.referenceLength === 'shortest') referenceLength += Math.min(...lengths);
      else {
        const c = candidate.length;
        referenceLength += lengths.reduce((best, l) => {
          const d = Math.abs(l - c);
          const bd = Math.abs(best - c);
          return d < bd || (d === bd && l < best) ? l : best;
        });
      }
      for (let n = 1; n <= this.maxOrder; n++) {
        const maxRef = new Map<string, number>();
        for (const r of references) {
          for (const [k, c] of ngramCounts(r, n)) maxRef.set(k, Math.max(maxRef.get(k) ?? 0, c));
        }
        for (const [k, c] of ngramCounts(candidate, n)) {
          matches[n - 1] = (matches[n - 1] as number) + Math.min(c, maxRef.get(k) ?? 0);
        }
        possible[n - 1] = (possible[n - 1] as number) + Math.max(0, candidate.length - n + 1);
      }
    });
    tf.tidy(() => {
      this.matches.assign(tf.add(this.matches.read(), tf.tensor1d(matches)));
      this.possible.assign(tf.add(this.possible.read(), tf.tensor1d(possible)));
      this.lengths.assign(
        tf.add(this.lengths.read(), tf.tensor1d([translationLength, referenceLength])),
      );
    });
  }

  override result(): tf.Tensor {
    const matches = Array.from(this.matches.read().dataSync());
    const possible = Array.from(this.possible.read().dataSync());
    const [translation = 0, reference = 0] = Array.from(this.lengths.read().dataSync());
    const precisions = matches.map((m, i) => {
      const p = possible[i] as number;
      if (this.smooth) return (m + 1) / (p + 1);
      return p > 0 ? m / p : 0;
    });
    let bleu = 0;
    if (Math.min(...precisions) > 0 && translation > 0) {
      const geoMean = Math.exp(precisions.reduce((a, p) => a + Math.log(p), 0) / this.maxOrder);
      const ratio = translation / Math.max(reference, 1e-30);
      const brevity = ratio > 1 ? 1 : Math.exp(1 - 1 / ratio);
      bleu = geoMean * brevity;
    }
    return tf.scalar(bleu);
  }

  override getConfig(): ReturnType<metrics.Metric['getConfig']> {
    return {
      ...super.getConfig(),
      max_order: this.maxOrder,
      smooth: this.smooth,
      reference_length: this.referenceLength,
    };
  }
}
