import {
  type ApplyArgs,
  type CallArgs,
  type KerasTensor,
  type LayerVariable,
  layers,
  type Shape,
  saving,
  tf,
  ValueError,
} from '@cornu/core';
import type { Config } from './transformer-layer-utils.js';

/** Arguments of `new ReversibleEmbedding(...)`. */
export interface ReversibleEmbeddingArgs extends layers.EmbeddingArgs {
  /** Reuse the embedding table (transposed) for the reverse projection; otherwise learn a separate `reverse_embeddings` `[outputDim, inputDim]`. @default true */
  tieWeights?: boolean;
  /** When set, reverse logits become `tanh(logits / cap) * cap` (Gemma 2). @default null */
  logitSoftCap?: number | null;
}

/** Call arguments of `ReversibleEmbedding`. */
export interface ReversibleEmbeddingCallArgs extends CallArgs {
  /** Project hidden states `[..., outputDim]` back to vocabulary logits `[..., inputDim]`. @default false */
  reverse?: boolean;
}

/** Core's `Embedding` seen with a widened static `className`, so that subclasses can name themselves. */
const EmbeddingBase = layers.Embedding as unknown as Omit<typeof layers.Embedding, 'className'> & {
  new (args: layers.EmbeddingArgs): layers.Embedding;
  readonly className: string;
};

/**
 * An `Embedding` that can also run in reverse (KerasHub's `ReversibleEmbedding`): `apply(ids)`
 * looks up vectors; `apply(hidden, { reverse: true })` multiplies by the transposed table (or a
 * separate `reverse_embeddings` weight when `tieWeights` is false) to get logits over the
 * vocabulary, as language-model heads with tied weights do.
 *
 * @example
 * const embedding = new ReversibleEmbedding({ inputDim: 1000, outputDim: 64 });
 * const hidden = embedding.apply(ids);
 * const logits = embedding.apply(hidden, { reverse: true }); // [batch, seq, 1000]
 */
export class ReversibleEmbedding extends EmbeddingBase {
  static override readonly className: string = 'ReversibleEmbedding';
  readonly tieWeights: boolean;
  readonly logitSoftCap: number | null;
  reverseEmbeddings?: LayerVariable;

  constructor(args: ReversibleEmbeddingArgs) {
    const { tieWeights = true, logitSoftCap = null, ...embeddingArgs } = args;
    super(embeddingArgs);
    if (logitSoftCap !== null && !(logitSoftCap > 0)) {
      throw new ValueError(
        `${this.who}: logitSoftCap must be positive or null. Received: logitSoftCap=${logitSoftCap}.`,
      );
    }
    this.tieWeights = tieWeights;
    this.logitSoftCap = logitSoftCap;
  }

  override build(inputShape: Shape): void {
    super.build(inputShape);
    if (!this.tieWeights) {
      this.reverseEmbeddings = this.addWeight({
        name: 'reverse_embeddings',
        shape: [this.outputDim, this.inputDim],
        initializer: this.embeddingsInitializer,
      });
    }
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    args: ReversibleEmbeddingCallArgs = {},
  ): tf.Tensor {
    if (!args.reverse) return super.call(inputs);
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (x.shape.at(-1) !== this.outputDim) {
      throw new ValueError(
        `${this.who}: reverse=true expects inputs [..., ${this.outputDim}], received shape [${x.shape.join(', ')}].`,
      );
    }
    const kernel = this.tieWeights
      ? tf.transpose((this.embeddings as LayerVariable).read())
      : (this.reverseEmbeddings as LayerVariable).read();
    const flat = tf.reshape(x, [-1, this.outputDim]);
    let logits = tf.reshape(tf.matMul(flat, kernel), [...x.shape.slice(0, -1), this.inputDim]);
    if (this.logitSoftCap !== null)
      logits = tf.mul(tf.tanh(tf.div(logits, this.logitSoftCap)), this.logitSoftCap);
    return logits;
  }

  override computeMask(
    inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | null | (tf.Tensor | null)[],
  ): tf.Tensor | null {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    // A reverse call receives float hidden states: there are no token ids to mask.
    if (x.dtype === 'float32' && x.shape.at(-1) === this.outputDim && x.rank > 1) return null;
    return super.computeMask(inputs, mask);
  }

  protected override computeOutputSpec(
    inputs: KerasTensor | KerasTensor[],
    args: ApplyArgs,
  ): { outputs: { shape: Shape; dtype: tf.DataType }[]; isList: boolean } {
    if (!args.reverse) return super.computeOutputSpec(inputs, args);
    const shape = (Array.isArray(inputs) ? (inputs[0] as KerasTensor) : inputs).shape;
    return {
      outputs: [{ shape: [...shape.slice(0, -1), this.inputDim], dtype: this.dtype }],
      isList: false,
    };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      tie_weights: this.tieWeights,
      logit_soft_cap: this.logitSoftCap,
    };
  }
}
saving.registerSerializable('keras_hub')(ReversibleEmbedding);
