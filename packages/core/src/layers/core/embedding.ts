import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../../constraints/constraint.js';
import * as constraints from '../../constraints/index.js';
import type { Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs, serializeOptional } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import type { Mask } from '../../engine/mask.js';
import { ValueError } from '../../errors/errors.js';
import * as initializers from '../../initializers/index.js';
import type { Initializer } from '../../initializers/initializer.js';
import * as regularizers from '../../regularizers/index.js';
import type { Regularizer } from '../../regularizers/regularizer.js';
import { type Config, type KerasObjectDict, registerKerasClass } from '../../saving/registry.js';
import { assertNotQuantized } from './quantization-config.js';

/** Arguments of `new Embedding(...)`. */
export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: indices run from 0 to `inputDim - 1`. */
  inputDim: number;
  /** Size of each embedding vector. */
  outputDim: number;
  /** @default 'uniform' (RandomUniform(-0.05, 0.05)) */
  embeddingsInitializer?: initializers.InitializerIdentifier;
  /** @default null */
  embeddingsRegularizer?: regularizers.RegularizerIdentifier | null;
  /** @default null */
  embeddingsConstraint?: constraints.ConstraintIdentifier | null;
  /** Treat index 0 as padding: the output mask is `inputs != 0` (downstream RNN/attention layers skip it). @default false */
  maskZero?: boolean;
  /** Keras 3 quantization; Cornu runs float weights only, so only null is accepted. @default null */
  quantizationConfig?: KerasObjectDict | null;
}

/**
 * Looks up a learned vector for each integer index: `[batch, ...] -> [batch, ..., outputDim]`.
 * With `maskZero` the output carries the mask `inputs != 0`.
 */
export class Embedding extends Layer {
  static override readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer?: Regularizer;
  readonly embeddingsConstraint?: Constraint;
  readonly maskZero: boolean;
  embeddings?: LayerVariable;

  constructor(args: EmbeddingArgs) {
    const {
      inputDim,
      outputDim,
      embeddingsInitializer = 'uniform',
      embeddingsRegularizer = null,
      embeddingsConstraint = null,
      maskZero = false,
      quantizationConfig = null,
      ...base
    } = args;
    super(base);
    assertNotQuantized(this.who, quantizationConfig);
    for (const [key, value] of [
      ['inputDim', inputDim],
      ['outputDim', outputDim],
    ] as const) {
      if (!Number.isInteger(value) || value <= 0) {
        throw new ValueError(
          `${this.who}: ${key} must be a positive integer. Received: ${key}=${value}.`,
        );
      }
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.embeddingsInitializer = initializers.get(embeddingsInitializer);
    if (embeddingsRegularizer) this.embeddingsRegularizer = regularizers.get(embeddingsRegularizer);
    if (embeddingsConstraint) this.embeddingsConstraint = constraints.get(embeddingsConstraint);
    this.maskZero = maskZero;
    this.supportsMasking = maskZero;
  }

  override build(_inputShape: Shape): void {
    this.embeddings = this.addWeight({
      name: 'embeddings',
      shape: [this.inputDim, this.outputDim],
      initializer: this.embeddingsInitializer,
      regularizer: this.embeddingsRegularizer ?? null,
      constraint: this.embeddingsConstraint ?? null,
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = inputs as tf.Tensor;
    const table = (this.embeddings as LayerVariable).read();
    return tf.tidy(() => {
      const indices = x.dtype === 'int32' ? x : tf.cast(x, 'int32');
      return lookup(table, indices, this.inputDim);
    });
  }

  override computeMask(inputs: tf.Tensor | tf.Tensor[], _mask?: Mask | Mask[]): Mask {
    if (!this.maskZero) return null;
    return tf.notEqual(inputs as tf.Tensor, 0);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.outputDim];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      input_dim: this.inputDim,
      output_dim: this.outputDim,
      embeddings_initializer: serializeOptional(this.embeddingsInitializer),
      embeddings_regularizer: serializeOptional(this.embeddingsRegularizer),
      activity_regularizer: serializeOptional(this.activityRegularizer),
      embeddings_constraint: serializeOptional(this.embeddingsConstraint),
      mask_zero: this.maskZero,
      quantization_config: null,
    };
  }
}

/**
 * `tf.gather(table, indices)`; where the engine has no UnsortedSegmentSum kernel (the gather
 * gradient), the table gradient is computed as `oneHot(indices)^T · dy` instead.
 */
function lookup(table: tf.Tensor, indices: tf.Tensor, inputDim: number): tf.Tensor {
  if (tf.getKernel('UnsortedSegmentSum', tf.getBackend()) !== undefined)
    return tf.gather(table, indices);
  const gather = tf.customGrad(((t: tf.Tensor, i: tf.Tensor, save: tf.GradSaveFunc) => {
    save([i]);
    return {
      value: tf.gather(t, i),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [idx] = saved as [tf.Tensor];
        const oneHot = tf.oneHot(tf.reshape(idx, [-1]), inputDim, 1, 0, 'float32');
        const flatDy = tf.reshape(dy, [-1, dy.shape.at(-1) as number]);
        return [tf.matMul(oneHot, flatDy, true, false), tf.zerosLike(idx)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return gather(table, indices);
}

registerKerasClass('keras.layers', Embedding);
