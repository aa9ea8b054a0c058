import { type LayerVariable, metrics, tf, ValueError } from '@cornu/core';

export interface PerplexityArgs extends metrics.MetricArgs {
  /** `yPred` holds logits (else probabilities). @default false */
  fromLogits?: boolean;
  /** Positions whose `yTrue` equals this id are left out (padding). @default null */
  maskTokenId?: number | null;
}

/**
 * Perplexity (KerasHub `Perplexity`): the exponent of the token cross-entropy, from integer
 * targets `yTrue` `[batch, seq]` and per-token distributions `yPred` `[batch, seq, vocab]`.
 * Each `updateState` takes the weighted mean cross-entropy of its batch (tokens equal to
 * `maskTokenId` and tokens of zero `sampleWeight` do not count), and `result()` is
 * `exp` of the average of those batch means weighted by each batch's number of sequences, as
 * KerasHub accumulates it. A batch whose tokens are all masked adds nothing. Probabilities are
 * renormalised and clipped to [1e-7, 1 - 1e-7] as in Keras.
 */
export class Perplexity extends metrics.Metric {
  static override readonly className: string = 'Perplexity';
  readonly fromLogits: boolean;
  readonly maskTokenId: number | null;
  private readonly crossentropy: LayerVariable;
  private readonly samples: LayerVariable;

  constructor(args: PerplexityArgs = {}) {
    super({ name: 'perplexity', ...args });
    this.fromLogits = args.fromLogits ?? false;
    this.maskTokenId = args.maskTokenId ?? null;
    this.crossentropy = this.addVariable('aggregate_crossentropy');
    this.samples = this.addVariable('number_of_samples');
  }

  override updateState(
    yTrue: metrics.MetricInput,
    yPred?: metrics.MetricInput,
    sampleWeight?: metrics.MetricInput,
  ): void {
    if (yPred === undefined) throw new ValueError(`${this.who}: updateState needs yPred.`);
    tf.tidy(() => {
      const target = tf.cast(yTrue instanceof tf.Tensor ? yTrue : tf.tensor(yTrue), 'int32');
      const pred = tf.cast(yPred instanceof tf.Tensor ? yPred : tf.tensor(yPred), 'float32');
      if (
        pred.rank !== target.rank + 1 ||
        !tf.util.arraysEqual(pred.shape.slice(0, -1), target.shape)
      ) {
        throw new ValueError(
          `${this.who}: expected yPred of shape [...yTrue.shape, vocab]; received yTrue [${target.shape}] and yPred [${pred.shape}].`,
        );
      }
      const vocab = pred.shape[pred.rank - 1] as number;
      const logProbs = this.fromLogits
        ? tf.logSoftmax(pred)
        : tf.log(tf.clipByValue(tf.div(pred, tf.sum(pred, -1, true)), 1e-7, 1 - 1e-7));
      const picked = tf.sum(tf.mul(logProbs, tf.oneHot(target, vocab)), -1);
      let weight: tf.Tensor = tf.onesLike(picked);
      if (sampleWeight !== undefined) {
        const w = tf.cast(
          sampleWeight instanceof tf.Tensor ? sampleWeight : tf.tensor(sampleWeight),
          'float32',
        );
        weight = tf.mul(
          weight,
          w.rank < picked.rank
            ? tf.reshape(w, [...w.shape, ...new Array<number>(picked.rank - w.rank).fill(1)])
            : w,
        );
      }
      if (this.maskTokenId !== null)
        weight = tf.mul(weight, tf.cast(tf.notEqual(target, this.maskTokenId), 'float32'));
      const total = tf.sum(weight);
      const batchMean = tf.div(tf.neg(tf.sum(tf.mul(picked, weight))), tf.maximum(total, 1e-30));
      const rows = tf.where(
        tf.greater(total, 0),
        tf.scalar(target.rank > 1 ? (target.shape[0] as number) : 1),
        tf.scalar(0),
      );
      this.crossentropy.assign(tf.add(this.crossentropy.read(), tf.mul(rows, batchMean)));
      this.samples.assign(tf.add(this.samples.read(), rows));
    });
  }

  override result(): tf.Tensor {
    return tf.tidy(() => {
      const n = this.samples.read();
      return tf.where(
        tf.equal(n, 0),
        tf.zerosLike(n),
        tf.exp(tf.div(this.crossentropy.read(), tf.maximum(n, 1e-30))),
      );
    });
  }

  override getConfig(): ReturnType<metrics.Metric['getConfig']> {
    return { ...super.getConfig(), from_logits: this.fromLogits, mask_token_id: this.maskTokenId };
  }
}
