import {
  type ApplyArgs,
  activations,
  type CallArgs,
  initializers,
  type KerasTensor,
  Layer,
  type LayerArgs,
  layers,
  type Mask,
  regularizers,
  type Shape,
  saving,
  tf,
  ValueError,
} from '@cornu/core';
import {
  checkTransformerArgs,
  cloneInitializer,
  type Config,
  type ConfigValue,
  firstMask,
  mergePaddingAndAttentionMask,
} from './transformer-layer-utils.js';

/** Arguments of `new TransformerEncoder(...)`. */
export interface TransformerEncoderArgs extends LayerArgs {
  /** Hidden size of the feedforward network. */
  intermediateDim: number;
  /** Number of attention heads; the head size is `hiddenDim / numHeads`. */
  numHeads: number;
  /** Dropout rate of the attention probabilities and of both residual branches. @default 0 */
  dropout?: number;
  /** Activation of the feedforward network's hidden layer. @default 'relu' */
  activation?: activations.ActivationIdentifier;
  /** Epsilon of the layer normalizations. @default 1e-5 */
  layerNormEpsilon?: number;
  /** @default 'glorot_uniform' */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** @default 'zeros' */
  biasInitializer?: initializers.InitializerIdentifier;
  /** Regularizer of the attention and feedforward kernels. @default null */
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  /** Regularizer of the attention and feedforward biases. @default null */
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  /** Pre-norm (normalize before attention and feedforward, as GPT-2) instead of post-norm (BERT). @default false */
  normalizeFirst?: boolean;
}

/** Call arguments of `TransformerEncoder`. */
export interface TransformerEncoderCallArgs extends CallArgs {
  /** `[batch, seq]`, true/1 = real token. Defaults to the Keras mask the input carries (e.g. from `maskZero`). */
  paddingMask?: tf.Tensor | null;
  /** `[batch, seq, seq]`, true/1 = query step may attend to key step; merged with the padding mask by minimum. */
  attentionMask?: tf.Tensor | null;
  /** Also return the attention probabilities `[batch, heads, seq, seq]`. @default false */
  returnAttentionScores?: boolean;
}

/**
 * The transformer encoder block of "Attention Is All You Need" (KerasHub's `TransformerEncoder`):
 * self-attention, then a two-layer feedforward network, each wrapped in dropout, a residual
 * connection and layer normalization (after the residual by default; before the branch with
 * `normalizeFirst`). Input and output `[batch, seq, hiddenDim]`.
 *
 * Sublayers (and weight order) follow KerasHub: `self_attention_layer` (`MultiHeadAttention`),
 * `self_attention_layer_norm`, `self_attention_dropout`, `feedforward_layer_norm`,
 * `feedforward_intermediate_dense`, `feedforward_output_dense`, `feedforward_dropout`.
 *
 * @example
 * const embed = new TokenAndPositionEmbedding({ vocabularySize: 5000, sequenceLength: 128, embeddingDim: 64, maskZero: true });
 * const encoder = new TransformerEncoder({ intermediateDim: 128, numHeads: 4 });
 * const y = encoder.apply(embed.apply(ids)); // padding (id 0) is masked out of attention
 */
export class TransformerEncoder extends Layer {
  static override readonly className: string = 'TransformerEncoder';
  readonly intermediateDim: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly activation: activations.ActivationFn;
  readonly layerNormEpsilon: number;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer?: regularizers.Regularizer;
  readonly biasRegularizer?: regularizers.Regularizer;
  readonly normalizeFirst: boolean;
  selfAttentionLayer?: layers.MultiHeadAttention;
  selfAttentionLayerNorm?: layers.LayerNormalization;
  selfAttentionDropout?: layers.Dropout;
  feedforwardLayerNorm?: layers.LayerNormalization;
  feedforwardIntermediateDense?: layers.Dense;
  feedforwardOutputDense?: layers.Dense;
  feedforwardDropout?: layers.Dropout;

  constructor(args: TransformerEncoderArgs) {
    const {
      intermediateDim,
      numHeads,
      dropout = 0,
      activation = 'relu',
      layerNormEpsilon = 1e-5,
      kernelInitializer = 'glorot_uniform',
      biasInitializer = 'zeros',
      kernelRegularizer = null,
      biasRegularizer = null,
      normalizeFirst = false,
      ...layerArgs
    } = args;
    super(layerArgs);
    checkTransformerArgs(this.who, { intermediateDim, numHeads, dropout });
    this.intermediateDim = intermediateDim;
    this.numHeads = numHeads;
    this.dropout = dropout;
    this.activation = activations.get(activation);
    this.layerNormEpsilon = layerNormEpsilon;
    this.kernelInitializer = initializers.get(kernelInitializer);
    this.biasInitializer = initializers.get(biasInitializer);
    if (kernelRegularizer) this.kernelRegularizer = regularizers.get(kernelRegularizer);
    if (biasRegularizer) this.biasRegularizer = regularizers.get(biasRegularizer);
    this.normalizeFirst = normalizeFirst;
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const hiddenDim = shape.at(-1);
    if (shape.length !== 3 || typeof hiddenDim !== 'number') {
      throw new ValueError(
        `${this.who}: expected inputs [batch, sequence, hiddenDim] with a known hiddenDim, received shape [${shape.join(', ')}].`,
      );
    }
    const keyDim = Math.floor(hiddenDim / this.numHeads);
    if (keyDim === 0) {
      throw new ValueError(
        `${this.who}: the head size hiddenDim / numHeads is zero: hiddenDim=${hiddenDim} must be >= numHeads=${this.numHeads}.`,
      );
    }
    const shared = {
      ...(this.kernelRegularizer ? { kernelRegularizer: this.kernelRegularizer } : {}),
      ...(this.biasRegularizer ? { biasRegularizer: this.biasRegularizer } : {}),
      dtype: this.dtype,
    };
    const freshInitializers = () => ({
      kernelInitializer: cloneInitializer(this.kernelInitializer),
      biasInitializer: cloneInitializer(this.biasInitializer),
    });
    this.selfAttentionLayer = new layers.MultiHeadAttention({
      numHeads: this.numHeads,
      keyDim,
      dropout: this.dropout,
      ...shared,
      ...freshInitializers(),
      name: 'self_attention_layer',
    });
    this.selfAttentionLayer.maybeBuild([shape, shape]);
    this.selfAttentionLayerNorm = new layers.LayerNormalization({
      epsilon: this.layerNormEpsilon,
      dtype: this.dtype,
      name: 'self_attention_layer_norm',
    });
    this.selfAttentionLayerNorm.maybeBuild(shape);
    this.selfAttentionDropout = new layers.Dropout({
      rate: this.dropout,
      dtype: this.dtype,
      name: 'self_attention_dropout',
    });
    this.feedforwardLayerNorm = new layers.LayerNormalization({
      epsilon: this.layerNormEpsilon,
      dtype: this.dtype,
      name: 'feedforward_layer_norm',
    });
    this.feedforwardLayerNorm.maybeBuild(shape);
    this.feedforwardIntermediateDense = new layers.Dense({
      units: this.intermediateDim,
      activation: this.activation,
      ...shared,
      ...freshInitializers(),
      name: 'feedforward_intermediate_dense',
    });
    this.feedforwardIntermediateDense.maybeBuild(shape);
    this.feedforwardOutputDense = new layers.Dense({
      units: hiddenDim,
      ...shared,
      ...freshInitializers(),
      name: 'feedforward_output_dense',
    });
    this.feedforwardOutputDense.maybeBuild([...shape.slice(0, -1), this.intermediateDim]);
    this.feedforwardDropout = new layers.Dropout({
      rate: this.dropout,
      dtype: this.dtype,
      name: 'feedforward_dropout',
    });
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    args: TransformerEncoderCallArgs = {},
  ): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const training = args.training ?? false;
    const inputMask = firstMask(args.mask);
    const attentionMask = mergePaddingAndAttentionMask(
      this.who,
      inputMask,
      args.paddingMask,
      args.attentionMask,
    );
    const attention = this.selfAttentionLayer as layers.MultiHeadAttention;
    const norm1 = this.selfAttentionLayerNorm as layers.LayerNormalization;
    const norm2 = this.feedforwardLayerNorm as layers.LayerNormalization;

    let x = this.normalizeFirst ? norm1.call(input) : input;
    // As in Keras, a mask carried by the input also masks the query steps.
    const attentionArgs: layers.AttentionCallArgs = {
      training,
      attentionMask,
      returnAttentionScores: args.returnAttentionScores ?? false,
    };
    if (inputMask) attentionArgs.mask = [inputMask, inputMask];
    const attended = attention.call([x, x], attentionArgs);
    const [attentionOutput, scores] = Array.isArray(attended)
      ? (attended as [tf.Tensor, tf.Tensor])
      : [attended, null];
    x = tf.add(
      (this.selfAttentionDropout as layers.Dropout).call(attentionOutput, { training }),
      input,
    );
    if (!this.normalizeFirst) x = norm1.call(x);

    const residual = x;
    let y = this.normalizeFirst ? norm2.call(x) : x;
    y = (this.feedforwardIntermediateDense as layers.Dense).call(y);
    y = (this.feedforwardOutputDense as layers.Dense).call(y);
    y = tf.add((this.feedforwardDropout as layers.Dropout).call(y, { training }), residual);
    if (!this.normalizeFirst) y = norm2.call(y);
    return scores ? [y, scores] : y;
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask {
    return firstMask(mask) ?? null;
  }

  protected override computeOutputSpec(
    inputs: KerasTensor | KerasTensor[],
    args: ApplyArgs,
  ): { outputs: { shape: Shape; dtype: tf.DataType }[]; isList: boolean } {
    const shape = (Array.isArray(inputs) ? (inputs[0] as KerasTensor) : inputs).shape;
    if (!args.returnAttentionScores)
      return { outputs: [{ shape: [...shape], dtype: this.dtype }], isList: false };
    return {
      outputs: [
        { shape: [...shape], dtype: this.dtype },
        {
          shape: [shape[0] ?? null, this.numHeads, shape[1] ?? null, shape[1] ?? null],
          dtype: this.dtype,
        },
      ],
      isList: true,
    };
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      intermediate_dim: this.intermediateDim,
      num_heads: this.numHeads,
      dropout: this.dropout,
      activation: activations.serialize(this.activation),
      layer_norm_epsilon: this.layerNormEpsilon,
      kernel_initializer: initializers.serialize(this.kernelInitializer) as ConfigValue,
      bias_initializer: initializers.serialize(this.biasInitializer) as ConfigValue,
      kernel_regularizer: this.kernelRegularizer
        ? (regularizers.serialize(this.kernelRegularizer) as ConfigValue)
        : null,
      bias_regularizer: this.biasRegularizer
        ? (regularizers.serialize(this.biasRegularizer) as ConfigValue)
        : null,
      normalize_first: this.normalizeFirst,
    };
  }
}
saving.registerSerializable('keras_hub')(TransformerEncoder);
