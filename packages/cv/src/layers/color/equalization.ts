import { saving, tf, ValueError } from '@cornu/core';
import { type BaseColorLayerArgs, BaseColorLayer } from '../base-color-layer.js';
import type { Config } from '../base-image-augmentation-layer.js';

/** Arguments of {@link Equalization}. */
export interface EqualizationArgs extends BaseColorLayerArgs {
  /** Histogram bins. @default 256 */
  bins?: number;
}

/**
 * Histogram equalization of each channel of each image (always active), with Pillow's
 * `ImageOps.equalize` look-up table: values are binned to `bins` levels of the value range.
 */
export class Equalization extends BaseColorLayer<true> {
  static override readonly className = 'Equalization';
  protected override readonly alwaysActive = true;
  readonly bins: number;

  constructor(args: EqualizationArgs = {}) {
    super(args);
    const { bins = 256 } = args;
    if (!Number.isInteger(bins) || bins < 2)
      throw new ValueError(`${this.who}: bins must be an integer >= 2. Received: bins=${bins}.`);
    this.bins = bins;
  }

  protected override sampleParameters(): true {
    return true;
  }

  protected override adjust(images: tf.Tensor4D): tf.Tensor4D {
    const [batch, h, w, c] = images.shape;
    const bins = this.bins;
    const levels = tf.tidy(() => tf.clipByValue(tf.round(tf.mul(images, bins - 1)), 0, bins - 1));
    const v = levels.dataSync();
    levels.dispose();
    const out = new Float32Array(v.length);
    const hist = new Int32Array(bins);
    const lut = new Float32Array(bins);
    for (let b = 0; b < batch; b++) {
      for (let ch = 0; ch < c; ch++) {
        hist.fill(0);
        for (let p = 0; p < h * w; p++) hist[v[(b * h * w + p) * c + ch] as number]! += 1;
        let last = 0;
        let nonzero = 0;
        let total = 0;
        for (let i = 0; i < bins; i++) {
          if ((hist[i] as number) > 0) {
            nonzero++;
            last = hist[i] as number;
          }
          total += hist[i] as number;
        }
        const step = Math.floor((total - last) / bins);
        if (nonzero <= 1 || step === 0) for (let i = 0; i < bins; i++) lut[i] = i;
        else {
          let n = Math.floor(step / 2);
          for (let i = 0; i < bins; i++) {
            lut[i] = Math.min(Math.floor(n / step), bins - 1);
            n += hist[i] as number;
          }
        }
        for (let p = 0; p < h * w; p++) {
          const k = (b * h * w + p) * c + ch;
          out[k] = (lut[v[k] as number] as number) / (bins - 1);
        }
      }
    }
    return tf.tensor4d(out, [batch, h, w, c]);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), bins: this.bins };
  }
}

saving.registerKerasClass('keras.layers', Equalization);
