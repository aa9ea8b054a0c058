import { saving, tf } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';

/** Arguments of {@link AutoContrast}. */
export type AutoContrastArgs = BaseColorLayerArgs;

/** Stretches each channel of each image so its minimum and maximum span the value range (always active; flat channels unchanged). */
export class AutoContrast extends BaseColorLayer<true> {
  static override readonly className = 'AutoContrast';
  protected override readonly alwaysActive = true;

  protected override sampleParameters(): true {
    return true;
  }

  protected override isActive(): boolean {
    return true;
  }

  protected override adjust(images: tf.Tensor4D): tf.Tensor4D {
    const min = tf.min(images, [1, 2], true);
    const max = tf.max(images, [1, 2], true);
    const range = tf.sub(max, min);
    const flat = tf.lessEqual(range, 0);
    const stretched = tf.div(tf.sub(images, min), tf.where(flat, tf.onesLike(range), range));
    return tf.where(tf.broadcastTo(flat, images.shape), images, stretched) as tf.Tensor4D;
  }
}

saving.registerKerasClass('keras.layers', AutoContrast);
