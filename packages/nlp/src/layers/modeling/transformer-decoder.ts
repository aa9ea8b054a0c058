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
  type Shape,
  saving,
  tf,
  ValueError,
} from '@cornu/core';
import { CachedMultiHeadAttention } from './cached-multi-head-attention.js';
import {
  checkTransformerArgs,
  cloneInitializer,
  computeCausalMask,
  type Config,
  type ConfigValue,
  mergePaddingAndAttentionMask,
} from './transformer-layer-utils.js';

/** Arguments of `new TransformerDecoder(...)`. */
export interface TransformerDecoderArgs extends LayerArgs {
  /** Hidden size of the feedforward network. */
  intermediateDim: number;
  /** Number of attention heads; the head size is `hiddenDim / numHeads`. */
  numHeads: number;
  /** Dropout rate of the attention probabilities and of the residual branches. @default 0 */
  dropout?: number;
  /** Activation of the feedforward network's hidden layer. @default 'relu' */
  activation?: activations.ActivationIdentifier;
  /** Epsilon of the layer normalizations. @default 1e-5 */
  layerNormEpsilon?: number;
  /** @default 'glorot_uniform' */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** @default 'zeros' */
  biasInitializer?: initializers.InitializerIdentifier;
  /** Pre-norm (GPT-2) instead of post-norm. @default false */
  normalizeFirst?: boolean;
  /** Build at construction for this decoder input shape (configs of built layers carry it). @default null */
  decoderSequenceShape?: Shape | null;
  /** With `decoderSequenceShape`: the encoder input shape, which adds cross-attention. @default null */
  encoderSequenceShape?: Shape | null;
}

/** Call arguments of `TransformerDecoder`. */
export interface TransformerDecoderCallArgs extends CallArgs {
  /** `[batch, decoderSeq]`, 1 = real token. Defaults to the Keras mask of the decoder input. */
  decoderPaddingMask?: tf.Tensor | null;
  /** `[batch, decoderSeq, decoderSeq]` custom self-attention mask, merged by minimum. */
  decoderAttentionMask?: tf.Tensor | null;
  /** `[batch, encoderSeq]`, 1 = real token. Defaults to the Keras mask of the encoder input. */
  encoderPaddingMask?: tf.Tensor | null;
  /** `[batch, decoderSeq, encoderSeq]` custom cross-attention mask. */
  encoderAttentionMask?: tf.Tensor | null;
  /** Self-attention key/value cache `[batch, 2, maxLength, numHeads, headDim]`; the call then returns `[output, selfCache(, crossCache)]`. */
  selfAttentionCache?: tf.Tensor | null;
  /** Position at which this call's steps are written into `selfAttentionCache`. */
  selfAttentionCacheUpdateIndex?: number | null;
  /** Cross-attention key/value cache `[batch, 2, encoderSeq, numHeads, headDim]`. */
  crossAttentionCache?: tf.Tensor | null;
  /** 0 computes the cross-attention cache from the encoder sequence; null reuses it. */
  crossAttentionCacheUpdateIndex?: number | null;
  /** Mask future decoder steps. @default true */
  useCausalMask?: boolean;
}

/**
 * The transformer decoder block (KerasHub's `TransformerDecoder`): causal self-attention, optional
 * cross-attention over an encoder sequence, and a feedforward network, each with dropout, a
 * residual connection and layer normalization (post-norm, or pre-norm with `normalizeFirst`).
 * `apply(decoderSequence)` (decoder-only, GPT style) or `apply([decoderSequence, encoderSequence])`.
 *
 * For autoregressive decoding pass `selfAttentionCache` (and `crossAttentionCache`) with their
 * update indices; the call returns `[output, selfCache]` or `[output, selfCache, crossCache]`.
 *
 * Sublayers follow KerasHub: `self_attention`, `self_attention_layer_norm`, `self_attention_dropout`,
 * [`cross_attention`, `cross_attention_layer_norm`, `cross_attention_dropout`],
 * `feedforward_intermediate_dense`, `feedforward_output_dense`, `feedforward_layer_norm`,
 * `feedforward_dropout` (the attention layers are `CachedMultiHeadAttention`).
 *
 * @example
 * const decoder = new TransformerDecoder({ intermediateDim: 64, numHeads: 4 });
 * const y = decoder.apply([decoderEmbeddings, encoderOutputs], { encoderPaddingMask });
 */
export class TransformerDecoder extends Layer {
  static override readonly className: string = 'TransformerDecoder';
  readonly intermediateDim: number;
  readonly numHeads: number;
  readonly dropout: number;
  readonly activation: activations.ActivationFn;
  readonly layerNormEpsilon: number;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly normalizeFirst: boolean;
  decoderSequenceShape: Shape | null = null;
  encoderSequenceShape: Shape | null = null;
  selfAttentionLayer?: CachedMultiHeadAttention;
  selfAttentionLayerNorm?: layers.LayerNormalization;
  selfAttentionDropout?: layers.Dropout;
  crossAttentionLayer?: CachedMultiHeadAttention;
  crossAttentionLayerNorm?: layers.LayerNormalization;
  crossAttentionDropout?: layers.Dropout;
  feedforwardIntermediateDense?: layers.Dense;
  feedforwardOutputDense?: layers.Dense;
  feedforwardLayerNorm?: layers.LayerNormalization;
  feedforwardDropout?: layers.Dropout;

  constructor(args: TransformerDecoderArgs) {
    const {
      intermediateDim,
      numHeads,
      dropout = 0,
      activation = 'relu',
      layerNormEpsilon = 1e-5,
      kernelInitializer = 'glorot_uniform',
      biasInitializer = 'zeros',
      normalizeFirst = false,
      decoderSequenceShape = null,
      encoderSequenceShape = null,
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
    this.normalizeFirst = normalizeFirst;
    this.supportsMasking = true;
    if (decoderSequenceShape)
      this.maybeBuild(
        encoderSequenceShape ? [decoderSequenceShape, encoderSequenceShape] : decoderSequenceShape,
      );
  }

  private attention(name: string, headDim: number): CachedMultiHeadAttention {
    return new CachedMultiHeadAttention({
      numHeads: this.numHeads,
      keyDim: headDim,
      valueDim: headDim,
      dropout: this.dropout,
      kernelInitializer: cloneInitializer(this.kernelInitializer),
      biasInitializer: cloneInitializer(this.biasInitializer),
      dtype: this.dtype,
      name,
    });
  }

  private norm(name: string): layers.LayerNormalization {
    return new layers.LayerNormalization({
      epsilon: this.layerNormEpsilon,
      dtype: this.dtype,
      name,
    });
  }

  override build(inputShape: Shape | Shape[]): void {
    const list = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : [inputShape as Shape];
    const decoderShape = list[0] as Shape;
    const encoderShape = list[1] ?? null;
    const hiddenDim = decoderShape.at(-1);
    if (decoderShape.length !== 3 || typeof hiddenDim !== 'number') {
      throw new ValueError(
        `${this.who}: expected a decoder sequence [batch, sequence, hiddenDim] with a known hiddenDim, received shape [${decoderShape.join(', ')}].`,
      );
    }
    const headDim = Math.floor(hiddenDim / this.numHeads);
    if (headDim === 0) {
      throw new ValueError(
        `${this.who}: the head size hiddenDim / numHeads is zero: hiddenDim=${hiddenDim} must be >= numHeads=${this.numHeads}.`,
      );
    }
    this.decoderSequenceShape = [...decoderShape];
    this.encoderSequenceShape = encoderShape ? [...encoderShape] : null;
    this.selfAttentionLayer = this.attention('self_attention', headDim);
    this.selfAttentionLayer.maybeBuild([decoderShape, decoderShape]);
    this.selfAttentionLayerNorm = this.norm('self_attention_layer_norm');
    this.selfAttentionLayerNorm.maybeBuild(decoderShape);
    this.selfAttentionDropout = new layers.Dropout({
      rate: this.dropout,
      dtype: this.dtype,
      name: 'self_attention_dropout',
    });
    if (encoderShape) {
      this.crossAttentionLayer = this.attention('cross_attention', headDim);
      this.crossAttentionLayer.maybeBuild([decoderShape, encoderShape]);
      this.crossAttentionLayerNorm = this.norm('cross_attention_layer_norm');
      this.crossAttentionLayerNorm.maybeBuild(decoderShape);
      this.crossAttentionDropout = new layers.Dropout({
        rate: this.dropout,
        dtype: this.dtype,
        name: 'cross_attention_dropout',
      });
    }
    const dense = (units: number, name: string, activation: activations.ActivationFn | null) =>
      new layers.Dense({
        units,
        activation,
        kernelInitializer: cloneInitializer(this.kernelInitializer),
        biasInitializer: cloneInitializer(this.biasInitializer),
        dtype: this.dtype,
        name,
      });
    this.feedforwardIntermediateDense = dense(
      this.intermediateDim,
      'feedforward_intermediate_dense',
      this.activation,
    );
    this.feedforwardIntermediateDense.maybeBuild(decoderShape);
    this.feedforwardOutputDense = dense(hiddenDim, 'feedforward_output_dense', null);
    this.feedforwardOutputDense.maybeBuild([...decoderShape.slice(0, -1), this.intermediateDim]);
    this.feedforwardLayerNorm = this.norm('feedforward_layer_norm');
    this.feedforwardLayerNorm.maybeBuild(decoderShape);
    this.feedforwardDropout = new layers.Dropout({
      rate: this.dropout,
      dtype: this.dtype,
      name: 'feedforward_dropout',
    });
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    args: TransformerDecoderCallArgs = {},
  ): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const decoderSequence = list[0] as tf.Tensor;
    const encoderSequence = list[1] ?? null;
    const masks: Mask[] = Array.isArray(args.mask) ? args.mask : [args.mask ?? null];
    const training = args.training ?? false;
    const {
      selfAttentionCache = null,
      selfAttentionCacheUpdateIndex = null,
      crossAttentionCache = null,
      crossAttentionCacheUpdateIndex = null,
    } = args;
    const hasCross = this.crossAttentionLayer !== undefined;
    if (hasCross !== (encoderSequence !== null)) {
      throw new ValueError(
        `${this.who}: the layer was built ${hasCross ? 'with' : 'without'} cross-attention, but was called ${encoderSequence ? 'with' : 'without'} an encoder sequence. Fix: call it as it was first called (apply(decoderSequence) or apply([decoderSequence, encoderSequence])).`,
      );
    }
    if (hasCross && (selfAttentionCache === null) !== (crossAttentionCache === null)) {
      throw new ValueError(
        `${this.who}: with cross-attention, selfAttentionCache and crossAttentionCache must both be set or both be null.`,
      );
    }

    const selfMask = this.selfAttentionMask(decoderSequence, masks[0] ?? undefined, args);
    const selfNorm = this.selfAttentionLayerNorm as layers.LayerNormalization;
    let x = decoderSequence;
    let residual = x;
    if (this.normalizeFirst) x = selfNorm.call(x);
    const selfOut = (this.selfAttentionLayer as CachedMultiHeadAttention).call([x, x], {
      attentionMask: selfMask,
      cache: selfAttentionCache,
      cacheUpdateIndex: selfAttentionCacheUpdateIndex,
      training,
    });
    let nextSelfCache: tf.Tensor | null = null;
    if (selfAttentionCache) [x, nextSelfCache] = selfOut as [tf.Tensor, tf.Tensor];
    else x = selfOut as tf.Tensor;
    x = tf.add((this.selfAttentionDropout as layers.Dropout).call(x, { training }), residual);
    if (!this.normalizeFirst) x = selfNorm.call(x);

    let nextCrossCache: tf.Tensor | null = null;
    if (hasCross && encoderSequence) {
      const crossMask = mergePaddingAndAttentionMask(
        this.who,
        masks[1] ?? undefined,
        args.encoderPaddingMask,
        args.encoderAttentionMask,
      );
      const crossNorm = this.crossAttentionLayerNorm as layers.LayerNormalization;
      residual = x;
      if (this.normalizeFirst) x = crossNorm.call(x);
      const crossOut = (this.crossAttentionLayer as CachedMultiHeadAttention).call(
        [x, encoderSequence],
        {
          attentionMask: crossMask,
          cache: crossAttentionCache,
          cacheUpdateIndex: crossAttentionCacheUpdateIndex,
          training,
        },
      );
      if (crossAttentionCache) [x, nextCrossCache] = crossOut as [tf.Tensor, tf.Tensor];
      else x = crossOut as tf.Tensor;
      x = tf.add((this.crossAttentionDropout as layers.Dropout).call(x, { training }), residual);
      if (!this.normalizeFirst) x = crossNorm.call(x);
    }

    const ffNorm = this.feedforwardLayerNorm as layers.LayerNormalization;
    residual = x;
    if (this.normalizeFirst) x = ffNorm.call(x);
    x = (this.feedforwardIntermediateDense as layers.Dense).call(x);
    x = (this.feedforwardOutputDense as layers.Dense).call(x);
    x = tf.add((this.feedforwardDropout as layers.Dropout).call(x, { training }), residual);
    if (!this.normalizeFirst) x = ffNorm.call(x);

    if (nextSelfCache)
      return nextCrossCache ? [x, nextSelfCache, nextCrossCache] : [x, nextSelfCache];
    return x;
  }

  /** Padding/attention masks merged, then combined (minimum) with the causal mask (rectangular when decoding with a cache). */
  private selfAttentionMask(
    decoderSequence: tf.Tensor,
    inputMask: Mask | undefined,
    args: TransformerDecoderCallArgs,
  ): tf.Tensor | null {
    const merged = mergePaddingAndAttentionMask(
      this.who,
      inputMask,
      args.decoderPaddingMask,
      args.decoderAttentionMask,
    );
    if (!(args.useCausalMask ?? true)) return merged;
    const batch = decoderSequence.shape[0] as number;
    const outputLength = decoderSequence.shape[1] as number;
    const inputLength = args.selfAttentionCache
      ? (args.selfAttentionCache.shape[2] as number)
      : outputLength;
    const causal = computeCausalMask(
      batch,
      inputLength,
      outputLength,
      args.selfAttentionCacheUpdateIndex ?? 0,
    );
    return merged ? tf.minimum(merged, causal) : causal;
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask {
    return (Array.isArray(mask) ? mask[0] : mask) ?? null;
  }

  protected override computeOutputSpec(
    inputs: KerasTensor | KerasTensor[],
    args: ApplyArgs,
  ): { outputs: { shape: Shape; dtype: tf.DataType }[]; isList: boolean } {
    if (args.selfAttentionCache) return this.probe(inputs, args);
    const shape = (Array.isArray(inputs) ? (inputs[0] as KerasTensor) : inputs).shape;
    return { outputs: [{ shape: [...shape], dtype: this.dtype }], isList: false };
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
      normalize_first: this.normalizeFirst,
      decoder_sequence_shape: this.decoderSequenceShape as ConfigValue,
      encoder_sequence_shape: this.encoderSequenceShape as ConfigValue,
    };
  }
}
saving.registerSerializable('keras_hub')(TransformerDecoder);
