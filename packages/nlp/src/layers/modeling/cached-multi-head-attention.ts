import {
  type ApplyArgs,
  type KerasTensor,
  layers,
  type Shape,
  saving,
  tf,
  ValueError,
} from '@cornu/core';

/** Call arguments of `CachedMultiHeadAttention`. */
export interface CachedMultiHeadAttentionCallArgs extends layers.AttentionCallArgs {
  /**
   * Key/value cache `[batch, 2, maxLength, numHeads, keyDim]` (index 0 = keys, 1 = values, already
   * projected). With a cache the call returns `[output, updatedCache]`. @default null
   */
  cache?: tf.Tensor | null;
  /**
   * Where the keys/values of this call's `value`/`key` inputs are written into `cache`; null reuses
   * the cache as it is (e.g. a precomputed cross-attention cache). @default null
   */
  cacheUpdateIndex?: number | tf.Tensor | null;
}

function readIndex(who: string, index: number | tf.Tensor): number {
  const value = typeof index === 'number' ? index : (index.dataSync()[0] as number);
  if (!Number.isInteger(value) || value < 0)
    throw new ValueError(
      `${who}: cacheUpdateIndex must be a non-negative integer, received ${value}.`,
    );
  return value;
}

/**
 * `MultiHeadAttention` with a key/value cache for autoregressive decoding (KerasHub's
 * `CachedMultiHeadAttention`). Same weights and config as `MultiHeadAttention`; masks come only
 * from `attentionMask`. With `cache` (`[batch, 2, maxLength, numHeads, keyDim]`) the projected
 * keys/values of this call are written at `cacheUpdateIndex` and attention runs over the whole
 * cache; the call returns `[output, updatedCache]`.
 *
 * @example
 * // one decoding step at position i, attending to positions <= i
 * const [y, nextCache] = attention.apply([x_i, x_i], { cache, cacheUpdateIndex: i, attentionMask });
 */
export class CachedMultiHeadAttention extends layers.MultiHeadAttention {
  static override readonly className: string = 'CachedMultiHeadAttention';

  override call(
    inputs: tf.Tensor | tf.Tensor[],
    args: CachedMultiHeadAttentionCallArgs = {},
  ): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const [queryIn, valueIn = queryIn, keyIn = valueIn] = list as [
      tf.Tensor,
      tf.Tensor?,
      tf.Tensor?,
    ];
    const { cache = null, cacheUpdateIndex = null } = args;
    if (!this.queryDense || !this.keyDense || !this.valueDense || !this.outputDense) {
      throw new ValueError(
        `${this.who}: the layer is not built. Fix: call it through apply(), or build([queryShape, valueShape]) first.`,
      );
    }
    const query = this.queryDense.call(queryIn);
    let key: tf.Tensor;
    let value: tf.Tensor;
    let nextCache: tf.Tensor | null = null;
    if (cache) {
      if (cache.rank !== 5 || cache.shape[1] !== 2) {
        throw new ValueError(
          `${this.who}: cache must have shape [batch, 2, maxLength, numHeads, keyDim], received shape [${cache.shape.join(', ')}].`,
        );
      }
      const [keyCache, valueCache] = tf.unstack(cache, 1) as [tf.Tensor, tf.Tensor];
      if (cacheUpdateIndex === null) {
        key = keyCache;
        value = valueCache;
      } else {
        const start = readIndex(this.who, cacheUpdateIndex);
        const write = (old: tf.Tensor, update: tf.Tensor): tf.Tensor => {
          const length = update.shape[1] as number;
          const total = old.shape[1] as number;
          if (start + length > total) {
            throw new ValueError(
              `${this.who}: writing ${length} step(s) at cacheUpdateIndex=${start} overflows a cache of length ${total}.`,
            );
          }
          const parts = [];
          if (start > 0) parts.push(tf.slice(old, [0, 0, 0, 0], [-1, start, -1, -1]));
          parts.push(update);
          if (start + length < total)
            parts.push(tf.slice(old, [0, start + length, 0, 0], [-1, -1, -1, -1]));
          return parts.length === 1 ? update : tf.concat(parts, 1);
        };
        key = write(keyCache, this.keyDense.call(keyIn as tf.Tensor));
        value = write(valueCache, this.valueDense.call(valueIn as tf.Tensor));
      }
      nextCache = tf.stack([key, value], 1);
    } else {
      if (cacheUpdateIndex !== null) {
        throw new ValueError(
          `${this.who}: cacheUpdateIndex=${String(cacheUpdateIndex)} was given without a cache. Fix: pass cache too, or drop cacheUpdateIndex.`,
        );
      }
      key = this.keyDense.call(keyIn as tf.Tensor);
      value = this.valueDense.call(valueIn as tf.Tensor);
    }
    const mask = args.attentionMask ? tf.cast(args.attentionMask, 'float32') : null;
    const { output, scores } = this.attend(query, key, value, mask, args.training ?? false);
    const result = this.outputDense.call(output);
    if (nextCache)
      return args.returnAttentionScores ? [result, nextCache, scores] : [result, nextCache];
    return args.returnAttentionScores ? [result, scores] : result;
  }

  protected override computeOutputSpec(
    inputs: KerasTensor | KerasTensor[],
    args: ApplyArgs,
  ): { outputs: { shape: Shape; dtype: tf.DataType }[]; isList: boolean } {
    if (!args.cache && !args.returnAttentionScores) return super.computeOutputSpec(inputs, args);
    return this.probe(inputs, args);
  }
}
saving.registerSerializable('keras_hub')(CachedMultiHeadAttention);
