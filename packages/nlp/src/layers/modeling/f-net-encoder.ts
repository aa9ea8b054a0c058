import {
  activations,
  type CallArgs,
  initializers,
  Layer,
  type LayerArgs,
  layers,
  type Shape,
  saving,
  tf,
  ValueError,
} from '@cornu/core';
import { type Config, type ConfigValue, cloneInitializer } from './transformer-layer-utils.js';

/** Arguments of `new FNetEncoder(...)`. */
export interface FNetEncoderArgs extends LayerArgs {
  /** Hidden size of the feedforward network. */
  intermediateDim: number;
  /** Dropout rate of the feedforward output. @default 0 */
  dropout?: number;
  /** Activation of the feedforward network's hidden layer. @default 'relu' */
  activation?: activations.ActivationIdentifier;
  /** Epsilon of the layer normalizations. @default 1e-5 */
  layerNormEpsilon?: number;
  /** @default 'glorot_uniform' */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** @default 'zeros' */
  biasInitializer?: initializers.InitializerIdentifier;
}

/** `[n, n]` matrices `cos(2π jk / n)` and `sin(2π jk / n)`, computed in float64. */
function dftMatrices(n: number): [tf.Tensor2D, tf.Tensor2D] {
  const cos = new Float32Array(n * n);
  const sin = new Float32Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < n; k++) {
      const angle = (2 * Math.PI * ((j * k) % n)) / n;
      cos[j * n + k] = Math.cos(angle);
      sin[j * n + k] = Math.sin(angle);
    }
  }
  return [tf.tensor2d(cos, [n, n]), tf.tensor2d(sin, [n, n])];
}

/** `x [b, rows, cols]` times the symmetric `[cols, cols]` matrix `m` along the last axis. */
function mulLast(x: tf.Tensor, m: tf.Tensor2D): tf.Tensor {
  const [b, rows, cols] = x.shape as [number, number, number];
  return tf.reshape(tf.matMul(tf.reshape(x, [b * rows, cols]), m), [b, rows, cols]);
}

/** `m [rows, rows]` (symmetric) applied along the middle axis of `x [b, rows, cols]`. */
function mulMiddle(x: tf.Tensor, m: tf.Tensor2D): tf.Tensor {
  return tf.transpose(mulLast(tf.transpose(x, [0, 2, 1]), m), [0, 2, 1]);
}

/**
 * The FNet encoder block (Lee-Thorp et al. 2021; KerasHub's `FNetEncoder`): token mixing by the
 * real part of a 2D discrete Fourier transform over the sequence and hidden axes (no attention,
 * no mixing weights), then a residual + layer norm, a feedforward network, dropout, and another
 * residual + layer norm. Inputs `[batch, seq, hiddenDim]`.
 *
 * The transform is computed exactly with DFT matrices: `Re(F_s X F_h) = C_s X C_h - S_s X S_h`.
 * Sublayers: `mixing_layer_norm`, `output_layer_norm`, `intermediate_dense`, `output_dense`,
 * `output_dropout`.
 *
 * @example
 * const y = new FNetEncoder({ intermediateDim: 64 }).apply(embeddings);
 */
export class FNetEncoder extends Layer {
  static override readonly className: string = 'FNetEncoder';
  readonly intermediateDim: number;
  readonly dropout: number;
  readonly activation: activations.ActivationFn;
  readonly layerNormEpsilon: number;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  mixingLayerNorm?: layers.LayerNormalization;
  outputLayerNorm?: layers.LayerNormalization;
  intermediateDense?: layers.Dense;
  outputDense?: layers.Dense;
  outputDropout?: layers.Dropout;

  constructor(args: FNetEncoderArgs) {
    const {
      intermediateDim,
      dropout = 0,
      activation = 'relu',
      layerNormEpsilon = 1e-5,
      kernelInitializer = 'glorot_uniform',
      biasInitializer = 'zeros',
      ...layerArgs
    } = args;
    super(layerArgs);
    if (!Number.isInteger(intermediateDim) || intermediateDim <= 0) {
      throw new ValueError(
        `${this.who}: intermediateDim must be a positive integer. Received: intermediateDim=${intermediateDim}.`,
      );
    }
    if (!(dropout >= 0 && dropout < 1))
      throw new ValueError(`${this.who}: dropout must be in [0, 1). Received: dropout=${dropout}.`);
    this.intermediateDim = intermediateDim;
    this.dropout = dropout;
    this.activation = activations.get(activation);
    this.layerNormEpsilon = layerNormEpsilon;
    this.kernelInitializer = initializers.get(kernelInitializer);
    this.biasInitializer = initializers.get(biasInitializer);
    this.supportsMasking = true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const hiddenDim = shape.at(-1);
    if (shape.length !== 3 || typeof hiddenDim !== 'number') {
      throw new ValueError(
        `${this.who}: expected inputs [batch, sequence, hiddenDim] with a known hiddenDim, received shape [${shape.join(', ')}].`,
      );
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
    this.mixingLayerNorm = new layers.LayerNormalization({
      epsilon: this.layerNormEpsilon,
      dtype: this.dtype,
      name: 'mixing_layer_norm',
    });
    this.mixingLayerNorm.maybeBuild(shape);
    this.outputLayerNorm = new layers.LayerNormalization({
      epsilon: this.layerNormEpsilon,
      dtype: this.dtype,
      name: 'output_layer_norm',
    });
    this.outputLayerNorm.maybeBuild(shape);
    this.intermediateDense = dense(this.intermediateDim, 'intermediate_dense', this.activation);
    this.intermediateDense.maybeBuild(shape);
    this.outputDense = dense(hiddenDim, 'output_dense', null);
    this.outputDense.maybeBuild([...shape.slice(0, -1), this.intermediateDim]);
    this.outputDropout = new layers.Dropout({
      rate: this.dropout,
      dtype: this.dtype,
      name: 'output_dropout',
    });
  }

  /** Real part of the 2D DFT over the last two axes. */
  static fourierMix(x: tf.Tensor): tf.Tensor {
    const [, seq, hidden] = x.shape as [number, number, number];
    const [cosS, sinS] = dftMatrices(seq);
    const [cosH, sinH] = dftMatrices(hidden);
    return tf.sub(mulMiddle(mulLast(x, cosH), cosS), mulMiddle(mulLast(x, sinH), sinS));
  }

  override call(inputs: tf.Tensor | tf.Tensor[], { training = false }: CallArgs = {}): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const mixed = (this.mixingLayerNorm as layers.LayerNormalization).call(
      tf.add(FNetEncoder.fourierMix(x), x),
    );
    let y = (this.intermediateDense as layers.Dense).call(mixed);
    y = (this.outputDense as layers.Dense).call(y);
    y = (this.outputDropout as layers.Dropout).call(y, { training });
    return (this.outputLayerNorm as layers.LayerNormalization).call(tf.add(y, mixed));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [...(inputShape as Shape)];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      intermediate_dim: this.intermediateDim,
      dropout: this.dropout,
      activation: activations.serialize(this.activation),
      layer_norm_epsilon: this.layerNormEpsilon,
      kernel_initializer: initializers.serialize(this.kernelInitializer) as ConfigValue,
      bias_initializer: initializers.serialize(this.biasInitializer) as ConfigValue,
    };
  }
}
saving.registerSerializable('keras_hub')(FNetEncoder);
