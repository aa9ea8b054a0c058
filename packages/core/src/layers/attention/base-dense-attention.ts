import * as tf from '@tensorflow/tfjs-core';
import { SeedStream } from '../regularization/seeded.js';
import { assertInputCompatibility, InputSpec } from '../../engine/input-spec.js';
import { type CallArgs, Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import type { Mask } from '../../engine/mask.js';
import { ValueError } from '../../errors/errors.js';
import type { Config } from '../../saving/registry.js';
import { causalMask, combineMasks, maskedSoftmax } from './attention-math.js';

/** Arguments shared by `Attention` and `AdditiveAttention`. */
export interface BaseDenseAttentionArgs extends LayerArgs {
  /** Learn a scale for the scores. */
  useScale?: boolean;
  /** Dropout rate on the attention probabilities (training only). @default 0 */
  dropout?: number;
  /** Seed of the dropout. @default null */
  seed?: number | null;
}

/** Call arguments of `Attention` and `AdditiveAttention`. */
export interface DenseAttentionCallArgs extends CallArgs {
  /** Also return the attention probabilities `[batch, tq, tv]`. @default false */
  returnAttentionScores?: boolean;
  /** Lower-triangular mask: query step i attends to value steps <= i. @default false */
  useCausalMask?: boolean;
}

/**
 * Shared base of Keras's unprojected attention layers. Inputs `[query, value]` or
 * `[query, value, key]` (key defaults to value); masks `[queryMask, valueMask]`: masked value
 * steps get no attention, masked query steps give zeros.
 */
export abstract class BaseDenseAttention extends Layer {
  readonly useScale: boolean;
  readonly dropout: number;
  readonly seed: number | null;
  /** A new seed per call (Keras's SeedGenerator); the global stream without a seed. */
  readonly #dropoutSeeds: SeedStream;
  /** The feature size the weights were built for (AdditiveAttention's scale), if any. */
  protected builtFeatureDim?: number;

  constructor(args: BaseDenseAttentionArgs & { useScale: boolean }) {
    const { useScale, dropout = 0, seed = null, ...layerArgs } = args;
    super(layerArgs);
    if (!(dropout >= 0 && dropout < 1))
      throw new ValueError(`${this.who}: expected dropout in [0, 1), received dropout=${dropout}.`);
    this.useScale = useScale;
    this.dropout = dropout;
    this.seed = seed;
    this.#dropoutSeeds = new SeedStream(seed);
    this.supportsMasking = true;
  }

  /** Scores `[batch, tq, tv]` of query `[batch, tq, dim]` against key `[batch, tv, dim]`. */
  protected abstract scores(query: tf.Tensor, key: tf.Tensor): tf.Tensor;

  protected checkInputs(inputs: unknown[]): void {
    if (inputs.length < 2 || inputs.length > 3) {
      throw new ValueError(
        `${this.who}: expected a list [query, value] or [query, value, key], received ${inputs.length} input(s).`,
      );
    }
  }

  /**
   * The shapes must fit together: `[batch, steps, features]` each, query and key with one feature
   * size (the built one, when weights depend on it), key and value with one number of steps.
   */
  protected checkShapes(shapes: Shape[]): void {
    this.checkInputs(shapes);
    const [query, value, key = value] = shapes as [Shape, Shape, Shape?];
    const keyName = shapes.length > 2 ? 'key' : 'value';
    const features = this.builtFeatureDim ?? query.at(-1) ?? (key as Shape).at(-1);
    const check = (name: string, shape: Shape, axes: Record<number, number | null | undefined>) => {
      const known = Object.entries(axes).filter(
        (e): e is [string, number] => typeof e[1] === 'number',
      );
      assertInputCompatibility(
        this.who,
        new InputSpec({ ndim: 3, axes: Object.fromEntries(known), name }),
        [{ shape, dtype: this.dtype }],
      );
    };
    check('query', query, { [-1]: features });
    check(keyName, key as Shape, { [-1]: features });
    if (shapes.length > 2) check('value', value, { 1: (key as Shape)[1] });
  }

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    args: DenseAttentionCallArgs = {},
  ): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    this.checkShapes(list.map((t) => t.shape));
    const [query, value, key = value] = list as [tf.Tensor, tf.Tensor, tf.Tensor?];
    const masks: Mask[] = Array.isArray(args.mask) ? args.mask : [];
    const [queryMask = null, valueMask = null] = masks;
    const raw = this.scores(query, key as tf.Tensor);
    const scoresMask = combineMasks(
      valueMask ? tf.expandDims(valueMask, -2) : null,
      args.useCausalMask ? causalMask(raw.shape[1] as number, raw.shape[2] as number) : null,
    );
    const weights = maskedSoftmax(raw, scoresMask);
    const training = args.training ?? false;
    const dropped =
      training && this.dropout > 0
        ? tf.dropout(weights, this.dropout, undefined, this.#dropoutSeeds.next())
        : weights;
    let result = tf.matMul(dropped, value);
    if (queryMask) result = tf.mul(result, tf.expandDims(tf.cast(queryMask, result.dtype), -1));
    return args.returnAttentionScores ? [result, weights] : result;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    this.checkShapes(shapes);
    return [...(shapes[0] as Shape).slice(0, -1), (shapes[1] as Shape).at(-1) ?? null];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: Mask | Mask[]): Mask {
    return Array.isArray(mask) ? (mask[0] ?? null) : null;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      use_scale: this.useScale,
      dropout: this.dropout,
      seed: this.seed,
    };
  }
}
