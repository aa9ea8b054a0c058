import {
  initializers,
  Layer,
  type LayerArgs,
  type Mask,
  type Shape,
  saving,
  tf,
  ValueError,
} from '@cornu/core';
import { type PositionCallArgs, PositionEmbedding } from './position-embedding.js';
import { ReversibleEmbedding } from './reversible-embedding.js';
import { type Config, type ConfigValue, cloneInitializer } from './transformer-layer-utils.js';

/** Arguments of `new TokenAndPositionEmbedding(...)`. */
export interface TokenAndPositionEmbeddingArgs extends LayerArgs {
  /** Number of token ids. */
  vocabularySize: number;
  /** Longest sequence (rows of the position table). */
  sequenceLength: number;
  /** Size of each embedding vector. */
  embeddingDim: number;
  /** Tie the token embedding's reverse projection to its table (see `ReversibleEmbedding`). @default true */
  tieWeights?: boolean;
  /** Initializer of both tables. @default 'uniform' */
  embeddingsInitializer?: initializers.InitializerIdentifier;
  /** Token id 0 is padding: the output carries the mask `ids != 0`, which transformer layers use as their padding mask. @default false */
  maskZero?: boolean;
}

/**
 * Token embedding plus learned position embedding (KerasHub's `TokenAndPositionEmbedding`):
 * ids `[batch, seq]` -> `[batch, seq, embeddingDim]`. Sublayers `token_embedding`
 * (`ReversibleEmbedding`) and `position_embedding` (`PositionEmbedding`). With `maskZero`, the
 * padding mask flows on to `TransformerEncoder`/`TransformerDecoder`.
 *
 * @example
 * const embed = new TokenAndPositionEmbedding({ vocabularySize: 5000, sequenceLength: 128, embeddingDim: 64, maskZero: true });
 * const x = embed.apply(tokenIds); // carries getMask(x) = tokenIds != 0
 */
export class TokenAndPositionEmbedding extends Layer {
  static override readonly className: string = 'TokenAndPositionEmbedding';
  readonly vocabularySize: number;
  readonly sequenceLength: number;
  readonly embeddingDim: number;
  readonly tieWeights: boolean;
  readonly embeddingsInitializer: initializers.Initializer;
  readonly maskZero: boolean;
  readonly tokenEmbedding: ReversibleEmbedding;
  readonly positionEmbedding: PositionEmbedding;

  constructor(args: TokenAndPositionEmbeddingArgs) {
    const {
      vocabularySize,
      sequenceLength,
      embeddingDim,
      tieWeights = true,
      embeddingsInitializer = 'uniform',
      maskZero = false,
      ...layerArgs
    } = args;
    super(layerArgs);
    for (const [key, value] of [
      ['vocabularySize', vocabularySize],
      ['sequenceLength', sequenceLength],
      ['embeddingDim', embeddingDim],
    ] as const) {
      if (!Number.isInteger(value) || value <= 0)
        throw new ValueError(
          `${this.who}: ${key} must be a positive integer. Received: ${key}=${value}.`,
        );
    }
    this.vocabularySize = vocabularySize;
    this.sequenceLength = sequenceLength;
    this.embeddingDim = embeddingDim;
    this.tieWeights = tieWeights;
    this.embeddingsInitializer = initializers.get(embeddingsInitializer);
    this.maskZero = maskZero;
    this.tokenEmbedding = new ReversibleEmbedding({
      inputDim: vocabularySize,
      outputDim: embeddingDim,
      tieWeights,
      embeddingsInitializer: cloneInitializer(this.embeddingsInitializer),
      maskZero,
      dtype: this.dtype,
      name: 'token_embedding',
    });
    this.positionEmbedding = new PositionEmbedding({
      sequenceLength,
      initializer: cloneInitializer(this.embeddingsInitializer),
      dtype: this.dtype,
      name: 'position_embedding',
    });
    this.supportsMasking = maskZero;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    this.tokenEmbedding.maybeBuild(shape);
    this.positionEmbedding.maybeBuild([...shape, this.embeddingDim]);
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    { startIndex = 0 }: PositionCallArgs = {},
  ): tf.Tensor {
    const tokens = this.tokenEmbedding.call(inputs);
    return tf.add(tokens, this.positionEmbedding.call(tokens, { startIndex }));
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask {
    return this.tokenEmbedding.computeMask(inputs, mask);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape), this.embeddingDim];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      vocabulary_size: this.vocabularySize,
      sequence_length: this.sequenceLength,
      embedding_dim: this.embeddingDim,
      tie_weights: this.tieWeights,
      embeddings_initializer: initializers.serialize(this.embeddingsInitializer) as ConfigValue,
      mask_zero: this.maskZero,
    };
  }
}
saving.registerSerializable('keras_hub')(TokenAndPositionEmbedding);
