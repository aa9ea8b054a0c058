import * as tf from '@tensorflow/tfjs-core';
import { SeedStream } from '../regularization/seeded.js';
import type { ConstraintIdentifier } from '../../constraints/index.js';
import * as constraints from '../../constraints/index.js';
import {
  type CallArgs,
  Layer,
  type LayerArgs,
  type Shape,
  serializeOptional,
} from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { NotImplementedError, ValueError } from '../../errors/errors.js';
import * as initializers from '../../initializers/index.js';
import type { RegularizerIdentifier } from '../../regularizers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { type Config, type ConfigValue, registerKerasClass } from '../../saving/registry.js';
import { causalMask, combineMasks, headAttention } from './attention-math.js';
import { assertAttentionInputs, HeadProjection } from './head-projection.js';

/** Arguments of `MultiHeadAttention`. */
export interface MultiHeadAttentionArgs extends LayerArgs {
  /** Number of attention heads. */
  numHeads: number;
  /** Size of each head for query and key. */
  keyDim: number;
  /** Size of each head for value. @default keyDim */
  valueDim?: number | null;
  /** Dropout rate on the attention probabilities (training only). @default 0 */
  dropout?: number;
  /** Whether the projections have biases. @default true */
  useBias?: boolean;
  /** Trailing shape of the output; null projects back to the query's last dimension. @default null */
  outputShape?: number | number[] | null;
  /** Axes (of the query, excluding batch and features) attention runs over; null = all of them. @default null */
  attentionAxes?: number | number[] | null;
  /** @default 'glorot_uniform' */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** @default 'zeros' */
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier | null;
  biasRegularizer?: RegularizerIdentifier | null;
  kernelConstraint?: ConstraintIdentifier | null;
  biasConstraint?: ConstraintIdentifier | null;
  /** Seed of the dropout. @default null */
  seed?: number | null;
  /** Keras 3.16 gated attention; only `false` is supported. @default false */
  useGate?: boolean;
  /** Keras 3.16 sliding-window attention; only `null` is supported. @default null */
  slidingWindow?: number | null;
}

/** Call arguments of `MultiHeadAttention` and `GroupedQueryAttention`. */
export interface AttentionCallArgs extends CallArgs {
  /** Boolean/0-1 mask broadcastable to `[batch, tq, tv]`: 1 = query step may attend to value step. */
  attentionMask?: tf.Tensor | null;
  /** Also return the attention probabilities `[batch, heads, tq, tv]`. @default false */
  returnAttentionScores?: boolean;
  /** Lower-triangular mask: step i attends to steps <= i. @default false */
  useCausalMask?: boolean;
}

/**
 * Keras's automatic attention mask: query mask `[B, T, 1]`, value and key masks `[B, 1, S]`,
 * the causal mask `[1, T, S]` and `attentionMask`, multiplied together (null when none applies).
 */
export function computeAttentionMask(
  tq: number,
  tv: number,
  masks: (Mask | undefined)[],
  attentionMask: tf.Tensor | null | undefined,
  useCausalMask: boolean,
): tf.Tensor | null {
  const [queryMask, valueMask, keyMask] = masks;
  return combineMasks(
    queryMask ? tf.expandDims(queryMask, -1) : null,
    valueMask ? tf.expandDims(valueMask, -2) : null,
    keyMask ? tf.expandDims(keyMask, -2) : null,
    useCausalMask ? causalMask(tq, tv) : null,
    attentionMask ?? null,
  );
}

function product(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/**
 * Multi-head attention (Vaswani et al. 2017) with Keras 3's weights: `query_dense`, `key_dense`,
 * `value_dense` (kernels `[dim, numHeads, keyDim|valueDim]`, biases `[numHeads, keyDim|valueDim]`)
 * and `output_dense` (kernel `[numHeads, valueDim, outDim]`, bias `[outDim]`).
 *
 * Inputs: `[query, value]` or `[query, value, key]` (a single tensor is self-attention). Masks of
 * the inputs (e.g. from `Embedding({ maskZero: true })`) become query/value/key masks.
 *
 * @example
 * const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4 });
 * const y = mha.apply([query, value], { useCausalMask: true });
 */
export class MultiHeadAttention extends Layer {
  static override readonly className: string = 'MultiHeadAttention';
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: number[] | null;
  attentionAxes: number[] | null;
  readonly kernelInitializer: initializers.Initializer;
  readonly biasInitializer: initializers.Initializer;
  readonly kernelRegularizer?: regularizers.Regularizer;
  readonly biasRegularizer?: regularizers.Regularizer;
  readonly kernelConstraint?: constraints.Constraint;
  readonly biasConstraint?: constraints.Constraint;
  readonly seed: number | null;
  /** A new seed per call (Keras's SeedGenerator); the global stream without a seed. */
  readonly #dropoutSeeds: SeedStream;
  queryDense?: HeadProjection;
  /** Rank of the query the layer was built for (its attention axes are resolved for it). */
  private queryRank?: number;
  keyDense?: HeadProjection;
  valueDense?: HeadProjection;
  outputDense?: HeadProjection;

  constructor(args: MultiHeadAttentionArgs) {
    const {
      numHeads,
      keyDim,
      valueDim = null,
      dropout = 0,
      useBias = true,
      outputShape = null,
      attentionAxes = null,
      kernelInitializer = 'glorot_uniform',
      biasInitializer = 'zeros',
      kernelRegularizer = null,
      biasRegularizer = null,
      kernelConstraint = null,
      biasConstraint = null,
      seed = null,
      useGate = false,
      slidingWindow = null,
      ...layerArgs
    } = args;
    super(layerArgs);
    for (const [key, value] of [
      ['numHeads', numHeads],
      ['keyDim', keyDim],
    ] as const) {
      if (!Number.isInteger(value) || value <= 0) {
        throw new ValueError(
          `${this.who}: expected ${key} to be a positive integer, received ${key}=${value}.`,
        );
      }
    }
    if (!(dropout >= 0 && dropout < 1))
      throw new ValueError(`${this.who}: expected dropout in [0, 1), received dropout=${dropout}.`);
    if (useGate)
      throw new NotImplementedError(
        `${this.who}: useGate=true (gated attention) is not supported; expected useGate=false.`,
      );
    if (slidingWindow !== null) {
      throw new NotImplementedError(
        `${this.who}: slidingWindow is not supported; expected null, received slidingWindow=${slidingWindow}.`,
      );
    }
    this.numHeads = numHeads;
    this.keyDim = keyDim;
    this.valueDim = valueDim ?? keyDim;
    this.dropout = dropout;
    this.useBias = useBias;
    this.outputShape =
      outputShape === null ? null : Array.isArray(outputShape) ? [...outputShape] : [outputShape];
    this.attentionAxes =
      attentionAxes === null
        ? null
        : Array.isArray(attentionAxes)
          ? [...attentionAxes]
          : [attentionAxes];
    this.kernelInitializer = initializers.get(kernelInitializer);
    this.biasInitializer = initializers.get(biasInitializer);
    if (kernelRegularizer) this.kernelRegularizer = regularizers.get(kernelRegularizer);
    if (biasRegularizer) this.biasRegularizer = regularizers.get(biasRegularizer);
    if (kernelConstraint) this.kernelConstraint = constraints.get(kernelConstraint);
    if (biasConstraint) this.biasConstraint = constraints.get(biasConstraint);
    this.seed = seed;
    this.#dropoutSeeds = new SeedStream(seed);
    this.supportsMasking = true;
  }

  private projection(name: string, contractedAxes: number, outputDims: number[]): HeadProjection {
    return new HeadProjection({
      name,
      contractedAxes,
      outputDims,
      useBias: this.useBias,
      kernelInitializer: initializers.get(initializers.serialize(this.kernelInitializer)),
      biasInitializer: initializers.get(initializers.serialize(this.biasInitializer)),
      ...(this.kernelRegularizer ? { kernelRegularizer: this.kernelRegularizer } : {}),
      ...(this.biasRegularizer ? { biasRegularizer: this.biasRegularizer } : {}),
      ...(this.kernelConstraint ? { kernelConstraint: this.kernelConstraint } : {}),
      ...(this.biasConstraint ? { biasConstraint: this.biasConstraint } : {}),
      dtype: this.dtype,
    });
  }

  protected override buildShapeNames(): readonly string[] {
    return ['query_shape', 'value_shape', 'key_shape'];
  }

  override build(inputShape: Shape | Shape[]): void {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const queryShape = shapes[0] as Shape;
    const valueShape = shapes[1] ?? queryShape;
    const keyShape = shapes[2] ?? valueShape;
    const rank = queryShape.length;
    if (rank < 3) {
      throw new ValueError(
        `${this.who}: expected query of rank >= 3 ([batch, ..., features]), received shape ${JSON.stringify(queryShape)}.`,
      );
    }
    const axes = (this.attentionAxes ?? Array.from({ length: rank - 2 }, (_, i) => i + 1)).map(
      (a) => (a < 0 ? a + rank : a),
    );
    if (axes.some((a) => a < 1 || a > rank - 2)) {
      throw new ValueError(
        `${this.who}: attentionAxes must lie between 1 and ${rank - 2} for a query of rank ${rank}, received attentionAxes=${JSON.stringify(this.attentionAxes)}.`,
      );
    }
    this.attentionAxes = axes;
    this.queryRank = rank;
    const outDims = this.outputShape ?? [queryShape.at(-1) as number];
    this.queryDense = this.projection('query', 1, [this.numHeads, this.keyDim]);
    this.keyDense = this.projection('key', 1, [this.numHeads, this.keyDim]);
    this.valueDense = this.projection('value', 1, [this.numHeads, this.valueDim]);
    this.outputDense = this.projection('attention_output', 2, outDims);
    this.queryDense.maybeBuild(queryShape);
    this.keyDense.maybeBuild(keyShape);
    this.valueDense.maybeBuild(valueShape);
    this.outputDense.maybeBuild([...queryShape.slice(0, -1), this.numHeads, this.valueDim]);
    this.built = true;
  }

  /**
   * Attention over the configured axes of projected tensors `[B, ...inner, heads, dim]`: the
   * non-attention inner axes fold into the batch, the attention axes into one sequence axis.
   */
  protected attend(
    query: tf.Tensor,
    key: tf.Tensor,
    value: tf.Tensor,
    mask: tf.Tensor | null,
    training: boolean,
  ): { output: tf.Tensor; scores: tf.Tensor } {
    const inner = query.rank - 3;
    const axes = this.attentionAxes as number[];
    const others = Array.from({ length: inner }, (_, i) => i + 1).filter((a) => !axes.includes(a));
    const order = [0, ...others, ...axes, inner + 1, inner + 2];
    const fold = (t: tf.Tensor) => {
      const moved = tf.transpose(t, order);
      const batch = product(order.slice(0, 1 + others.length).map((a) => t.shape[a] as number));
      const steps = product(axes.map((a) => t.shape[a] as number));
      return tf.reshape(moved, [
        batch,
        steps,
        t.shape[inner + 1] as number,
        t.shape[inner + 2] as number,
      ]);
    };
    const q = fold(query);
    const k = fold(key);
    const v = fold(value);
    let foldedMask: tf.Tensor | null = null;
    if (mask) {
      if (others.length > 0) {
        throw new NotImplementedError(
          `${this.who}: masks with attentionAxes that leave other inner axes are not supported.`,
        );
      }
      if (axes.length === 1) foldedMask = mask;
      else {
        const lead = mask.rank > 2 * axes.length ? (mask.shape[0] as number) : 1;
        const full = [
          lead,
          ...axes.map((a) => query.shape[a] as number),
          ...axes.map((a) => key.shape[a] as number),
        ];
        foldedMask = tf.reshape(tf.broadcastTo(mask, full), [
          lead,
          q.shape[1] as number,
          k.shape[1] as number,
        ]);
      }
    }
    const { output, scores } = headAttention(q, k, v, {
      mask: foldedMask,
      scale: 1 / Math.sqrt(this.keyDim),
      dropout: this.dropout,
      training,
      seed: this.#dropoutSeeds.next(),
    });
    const movedShape = [...order.slice(0, -1).map((a) => query.shape[a] as number), this.valueDim];
    const inverse = order.map((_, i) => order.indexOf(i));
    const unfolded = tf.transpose(tf.reshape(output, movedShape), inverse);
    const scoreShape = [
      query.shape[0] as number,
      ...others.map((a) => query.shape[a] as number),
      this.numHeads,
      ...axes.map((a) => query.shape[a] as number),
      ...axes.map((a) => key.shape[a] as number),
    ];
    return { output: unfolded, scores: tf.reshape(scores, scoreShape) };
  }

  /** Later inputs must fit the projections built for the first (feature sizes, query rank). */
  private checkShapes(shapes: Shape[]): void {
    assertAttentionInputs(
      this.who,
      { query: this.queryDense, value: this.valueDense, key: this.keyDense },
      shapes,
      this.queryRank,
    );
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    args: AttentionCallArgs = {},
  ): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.checkShapes(list.map((t) => t.shape));
    const [queryIn, valueIn = queryIn, keyIn = valueIn] = list as [
      tf.Tensor,
      tf.Tensor?,
      tf.Tensor?,
    ];
    const masks: (Mask | undefined)[] = Array.isArray(args.mask) ? args.mask : [args.mask ?? null];
    const query = (this.queryDense as HeadProjection).call(queryIn);
    const key = (this.keyDense as HeadProjection).call(keyIn as tf.Tensor);
    const value = (this.valueDense as HeadProjection).call(valueIn as tf.Tensor);
    const steps = (t: tf.Tensor) =>
      product((this.attentionAxes as number[]).map((a) => t.shape[a] as number));
    const mask = computeAttentionMask(
      steps(queryIn),
      steps(valueIn as tf.Tensor),
      list.length > 2 ? masks : masks.slice(0, 2),
      args.attentionMask,
      args.useCausalMask ?? false,
    );
    const { output, scores } = this.attend(query, key, value, mask, args.training ?? false);
    const result = (this.outputDense as HeadProjection).call(output);
    return args.returnAttentionScores ? [result, scores] : result;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    this.checkShapes(shapes);
    const queryShape = shapes[0] as Shape;
    return [...queryShape.slice(0, -1), ...(this.outputShape ?? [queryShape.at(-1) ?? null])];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask {
    return Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDim,
      dropout: this.dropout,
      use_bias: this.useBias,
      use_gate: false,
      // Keras stores an int output_shape as a one-element tuple, and writes it as a list.
      output_shape: this.outputShape,
      attention_axes: this.attentionAxes as ConfigValue,
      sliding_window: null,
      kernel_initializer: serializeOptional(this.kernelInitializer),
      bias_initializer: serializeOptional(this.biasInitializer),
      kernel_regularizer: serializeOptional(this.kernelRegularizer),
      bias_regularizer: serializeOptional(this.biasRegularizer),
      activity_regularizer: serializeOptional(this.activityRegularizer),
      kernel_constraint: serializeOptional(this.kernelConstraint),
      bias_constraint: serializeOptional(this.biasConstraint),
      seed: this.seed,
    };
  }
}
registerKerasClass('keras.layers', MultiHeadAttention);
