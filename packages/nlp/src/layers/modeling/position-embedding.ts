import {
  type CallArgs,
  initializers,
  Layer,
  type LayerArgs,
  type LayerVariable,
  type Shape,
  saving,
  tf,
  ValueError,
} from '@cornu/core';
import type { Config, ConfigValue } from './transformer-layer-utils.js';

/** Arguments of `new PositionEmbedding(...)`. */
export interface PositionEmbeddingArgs extends LayerArgs {
  /** Longest sequence the layer can embed (rows of the learned table). */
  sequenceLength: number;
  /** Initializer of the table. @default 'glorot_uniform' */
  initializer?: initializers.InitializerIdentifier;
}

/** Call arguments of the position layers. */
export interface PositionCallArgs extends CallArgs {
  /** Position of the first step (cached decoding feeds one step at a time). @default 0 */
  startIndex?: number;
}

/**
 * A learned embedding per position (KerasHub's `PositionEmbedding`): for inputs `[batch, seq, dim]`
 * it returns rows `startIndex .. startIndex + seq` of a `[sequenceLength, dim]` table, broadcast to
 * the input shape. Add the result to token embeddings.
 *
 * @example
 * const positions = new PositionEmbedding({ sequenceLength: 128 }).apply(tokenEmbeddings);
 */
export class PositionEmbedding extends Layer {
  static override readonly className: string = 'PositionEmbedding';
  readonly sequenceLength: number;
  readonly initializer: initializers.Initializer;
  positionEmbeddings?: LayerVariable;

  constructor(args: PositionEmbeddingArgs) {
    const { sequenceLength, initializer = 'glorot_uniform', ...layerArgs } = args;
    super(layerArgs);
    if (!Number.isInteger(sequenceLength) || sequenceLength <= 0) {
      throw new ValueError(
        `${this.who}: sequenceLength must be a positive integer. Received: sequenceLength=${sequenceLength}.`,
      );
    }
    this.sequenceLength = sequenceLength;
    this.initializer = initializers.get(initializer);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const featureSize = shape.at(-1);
    if (shape.length < 2 || typeof featureSize !== 'number') {
      throw new ValueError(
        `${this.who}: expected inputs [batch, sequence, features] with a known feature size, received shape [${shape.join(', ')}].`,
      );
    }
    this.positionEmbeddings = this.addWeight({
      name: 'embeddings',
      shape: [this.sequenceLength, featureSize],
      initializer: this.initializer,
    });
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    { startIndex = 0 }: PositionCallArgs = {},
  ): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const sequence = x.shape.at(-2) as number;
    const features = x.shape.at(-1) as number;
    if (
      !Number.isInteger(startIndex) ||
      startIndex < 0 ||
      startIndex + sequence > this.sequenceLength
    ) {
      throw new ValueError(
        `${this.who}: positions ${startIndex}..${startIndex + sequence - 1} exceed the table of sequenceLength=${this.sequenceLength}. Received: startIndex=${startIndex}, input shape [${x.shape.join(', ')}].`,
      );
    }
    const table = (this.positionEmbeddings as LayerVariable).read();
    return tf.broadcastTo(tf.slice(table, [startIndex, 0], [sequence, features]), x.shape);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      sequence_length: this.sequenceLength,
      initializer: initializers.serialize(this.initializer) as ConfigValue,
    };
  }
}
saving.registerSerializable('keras_hub')(PositionEmbedding);
