import { type LayerVariable, metrics, tf } from '@cornu/core';
import { checkSameBatch, splitWhitespace, type TextInput, toTokenBatch } from './text-input.js';

export interface EditDistanceArgs extends metrics.MetricArgs {
  /** Divide the edits by the number of reference tokens (else by the number of sequences). @default true */
  normalize?: boolean;
}

/** Levenshtein distance between two token lists (insertions, deletions, substitutions cost 1). */
export function levenshtein(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] as number) + 1, (cur[j - 1] as number) + 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/**
 * Token-level edit distance (KerasHub `EditDistance`, word error rate when normalized): the
 * Levenshtein distance between each reference and prediction, summed over all samples seen,
 * divided by the total number of reference tokens (`normalize`) or by the number of samples.
 * Strings are split on whitespace; token lists are used as they are.
 */
export class EditDistance extends metrics.Metric {
  static override readonly className: string = 'EditDistance';
  readonly normalize: boolean;
  private readonly edits: LayerVariable;
  private readonly count: LayerVariable;

  constructor(args: EditDistanceArgs = {}) {
    super({ name: 'edit_distance', ...args });
    this.normalize = args.normalize ?? true;
    this.edits = this.addVariable('aggregate_edit_distance');
    this.count = this.addVariable(this.normalize ? 'number_of_tokens' : 'number_of_sequences');
  }

  override updateState(yTrue: TextInput, yPred?: TextInput): void {
    const truth = toTokenBatch(yTrue, splitWhitespace, this.who, 'yTrue');
    const pred = toTokenBatch(yPred ?? [], splitWhitespace, this.who, 'yPred');
    checkSameBatch(this.who, truth.length, pred.length);
    let edits = 0;
    let count = 0;
    truth.forEach((t, i) => {
      edits += levenshtein(t, pred[i] as string[]);
      count += this.normalize ? t.length : 1;
    });
    tf.tidy(() => {
      this.edits.assign(tf.add(this.edits.read(), edits));
      this.count.assign(tf.add(this.count.read(), count));
    });
  }

  override result(): tf.Tensor {
    return tf.tidy(() => {
      const n = this.count.read();
      return tf.where(
        tf.equal(n, 0),
        tf.zerosLike(n),
        tf.div(this.edits.read(), tf.maximum(n, 1e-30)),
      );
    });
  }

  override getConfig(): ReturnType<metrics.Metric['getConfig']> {
    return { ...super.getConfig(), normalize: this.normalize };
  }
}
