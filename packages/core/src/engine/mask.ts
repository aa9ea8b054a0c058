import type * as tf from '@tensorflow/tfjs-core';

/** A mask: boolean tensor (true = keep), or null for "no mask". */
export type Mask = tf.Tensor | null;

const masks = new WeakMap<tf.Tensor, tf.Tensor>();
const owners = new WeakSet<tf.Tensor>();

/**
 * The mask a layer attached to an eager output tensor (Keras's `tensor._keras_mask`), or null.
 * `Embedding({ maskZero: true })` sets it; downstream layers receive it as `args.mask`.
 */
export function getMask(t: tf.Tensor): Mask {
  return masks.get(t) ?? null;
}

/**
 * Attaches `mask` to `t` (null detaches it). The tensor owns its mask from then on:
 * `t.dispose()` (and `tf.dispose(t)`) disposes the mask too, so an output of `layer.apply` or
 * `model.apply` is freed with one `dispose`. Disposing the mask first is harmless. A mask that is
 * replaced or detached goes back to the caller.
 */
export function setMask(t: tf.Tensor, mask: Mask): void {
  if (!mask) {
    masks.delete(t);
    return;
  }
  masks.set(t, mask);
  if (owners.has(t)) return;
  owners.add(t);
  const dispose = t.dispose;
  Object.defineProperty(t, 'dispose', {
    configurable: true,
    writable: true,
    value: function disposeWithMask(this: tf.Tensor): void {
      const owned = masks.get(t);
      masks.delete(t);
      dispose.call(t);
      if (owned && owned !== t && !owned.isDisposed) owned.dispose();
    },
  });
}
