import * as tf from '@tensorflow/tfjs-core';
import { SeedStream } from '../regularization/seeded.js';
import type { ConstraintIdentifier } from '../../constraints/index.js';
import * as constraints from '../../constraints/index.js';
import { Layer, type LayerArgs, type Shape, serializeOptional } from '../../engine/layer.js';
import { uniqueName } from '../../engine/naming.js';
import type { Mask } from '../../engine/mask.js';
import { NotImplementedError, ValueError } from '../../errors/errors.js';
import * as initializers from '../../initializers/index.js';
import type { RegularizerIdentifier } from '../../regularizers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';
import { headAttention } from './attention-math.js';
import { assertAttentionInputs, HeadProjection } from './head-projection.js';
import { type AttentionCallArgs, computeAttentionMask } from './multi-head-attention.js';

/** Arguments of `GroupedQueryAttention`. */
export interface GroupedQueryAttentionArgs extends LayerArgs {
  /** Size of each attention head. */
  headDim: number;
  /** Number of query heads. */
  numQueryHeads: number;
  /** Number of key/value heads; must divide `numQueryHeads`. */
  numKeyValueHeads: number;
  /** Dropout rate on the attention probabilities (training only). @default 0 */
  dropout?: number;
  /** @default true */
  useBias?: boolean;
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
  /** Keras gated attention; only `false` is supported. @default false */
  useGate?: boolean;
  /** Keras sliding-window attention; only `null` is supported. @default null */
  slidingWindow?: number | null;
}

/**
 * Grouped-query attention (Ainslie et al. 2023): `numQueryHeads` query heads share
 * `numKeyValueHeads` key/value heads, each key/value head serving `numQueryHeads / numKeyValueHeads`
 * consecutive query heads. Keras 3 weights: `query` kernel `[dim, numQueryHeads, headDim]`,
 * `key`/`value` kernels `[dim, numKeyValueHeads, headDim]` (biases without the `dim` axis),
 * `attention_output` kernel `[numQueryHeads, headDim, dim]`, bias `[dim]`.
 *
 * @example
 * const gqa = new GroupedQueryAttention({ headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2 });
 * const y = gqa.apply([x, x], { useCausalMask: true });
 */
export class GroupedQueryAttention extends Layer {
  /**
   * Keras 3 exports this class as `keras.layers.GroupQueryAttention` and writes that name as
   * `class_name`; `'GroupedQueryAttention'` (what Cornu wrote before) is still read.
   */
  static override readonly className: string = 'GroupQueryAttention';
  readonly headDim: number;
  readonly numQueryHeads: number;
  readonly numKeyValueHeads: number;
  readonly dropout: number;
  readonly useBias: boolean;
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
  keyDense?: HeadProjection;
  valueDense?: HeadProjection;
  outputDense?: HeadProjection;

  constructor(args: GroupedQueryAttentionArgs) {
    const {
      headDim,
      numQueryHeads,
      numKeyValueHeads,
      dropout = 0,
      useBias = true,
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
    // Keras names instances after the Python class, `grouped_query_attention`.
    super({ ...layerArgs, name: layerArgs.name ?? uniqueName('grouped_query_attention') });
    if (useGate)
      throw new NotImplementedError(
        `${this.who}: useGate=true (gated attention) is not supported; expected useGate=false.`,
      );
    if (slidingWindow !== null) {
      throw new NotImplementedError(
        `${this.who}: slidingWindow is not supported; expected null, received slidingWindow=${slidingWindow}.`,
      );
    }
    for (const [key, value] of [
      ['headDim', headDim],
      ['numQueryHeads', numQueryHeads],
      ['numKeyValueHeads', numKeyValueHeads],
    ] as const) {
      if (!Number.isInteger(value) || value <= 0) {
        throw new ValueError(
          `${this.who}: expected ${key} to be a positive integer, received ${key}=${value}.`,
        );
      }
    }
    if (numQueryHeads % numKeyValueHeads !== 0) {
      throw new ValueError(
        `${this.who}: numQueryHeads must be divisible by numKeyValueHeads, received numQueryHeads=${numQueryHeads}, numKeyValueHeads=${numKeyValueHeads}.`,
      );
    }
    if (!(dropout >= 0 && dropout < 1))
      throw new ValueError(`${this.who}: expected dropout in [0, 1), received dropout=${dropout}.`);
    this.headDim = headDim;
    this.numQueryHeads = numQueryHeads;
    this.numKeyValueHeads = numKeyValueHeads;
    this.dropout = dropout;
    this.useBias = useBias;
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
    if (queryShape.length !== 3) {
      throw new ValueError(
        `${this.who}: expected query of rank 3 ([batch, steps, features]), received shape ${JSON.stringify(queryShape)}.`,
      );
    }
    this.queryDense = this.projection('query', 1, [this.numQueryHeads, this.headDim]);
    this.keyDense = this.projection('key', 1, [this.numKeyValueHeads, this.headDim]);
    this.valueDense = this.projection('value', 1, [this.numKeyValueHeads, this.headDim]);
    this.outputDense = this.projection('attention_output', 2, [queryShape.at(-1) as number]);
    this.queryDense.maybeBuild(queryShape);
    this.keyDense.maybeBuild(keyShape);
    this.valueDense.maybeBuild(valueShape);
    this.outputDense.maybeBuild([null, null, this.numQueryHeads, this.headDim]);
    this.built = true;
  }

  /** Repeats each key/value head for the query heads it serves: `[B, S, kv, H] -> [B, S, q, H]`. */
  private repeatHeads(t: tf.Tensor): tf.Tensor {
    const repeats = this.numQueryHeads / this.numKeyValueHeads;
    if (repeats === 1) return t;
    const index = Array.from({ length: this.numQueryHeads }, (_, i) => Math.floor(i / repeats));
    return tf.gather(t, tf.tensor1d(index, 'int32'), 2);
  }

  /** Later inputs must fit the projections built for the first (feature sizes, query rank). */
  private checkShapes(shapes: Shape[]): void {
    assertAttentionInputs(
      this.who,
      { query: this.queryDense, value: this.valueDense, key: this.keyDense },
      shapes,
      3,
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
    const mask = computeAttentionMask(
      queryIn.shape[1] as number,
      (valueIn as tf.Tensor).shape[1] as number,
      list.length > 2 ? masks : masks.slice(0, 2),
      args.attentionMask,
      args.useCausalMask ?? false,
    );
    const query = (this.queryDense as HeadProjection).call(queryIn);
    const key = this.repeatHeads((this.keyDense as HeadProjection).call(keyIn as tf.Tensor));
    const value = this.repeatHeads((this.valueDense as HeadProjection).call(valueIn as tf.Tensor));
    const { output, scores } = headAttention(query, key, value, {
      mask,
      scale: 1 / Math.sqrt(this.headDim),
      dropout: this.dropout,
      training: args.training ?? false,
      seed: this.#dropoutSeeds.next(),
    });
    const result = (this.outputDense as HeadProjection).call(output);
    return args.returnAttentionScores ? [result, scores] : result;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    this.checkShapes(shapes);
    return [...(shapes[0] as Shape)];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask {
    return Array.isArray(mask) ? (mask[0] ?? null) : (mask ?? null);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      head_dim: this.headDim,
      num_query_heads: this.numQueryHeads,
      num_key_value_heads: this.numKeyValueHeads,
      use_bias: this.useBias,
      use_gate: false,
      sliding_window: null,
      dropout: this.dropout,
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
registerKerasClass('keras.layers', GroupedQueryAttention, ['GroupedQueryAttention']);
