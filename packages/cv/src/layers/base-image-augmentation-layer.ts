import {
  type ApplyArgs,
  type CallArgs,
  KerasTensor,
  Layer,
  type LayerArgs,
  type Shape,
  tf,
  utils,
  ValueError,
} from '@cornu/core';
import { type BoxFormat, checkFormat, convertFormat } from '../boxes/convert-format.js';

/** A Keras layer config (snake_case keys, JSON values). */
export type Config = ReturnType<Layer['getConfig']>;

/** Arguments shared by the image preprocessing and augmentation layers. */
export interface BaseImageAugmentationLayerArgs extends LayerArgs {
  /** Seed of the layer's random stream; without it, `utils.nextSeed()` (the global seed) is used. */
  seed?: number | null;
  /** Format of `boxes` in `{ images, boxes, labels }` inputs. @default 'xyxy' */
  boundingBoxFormat?: BoxFormat;
  /**
   * Keras's `data_format`: only `'channels_last'` (`[B, h, w, c]`) is supported; accepted so that
   * Keras configs load. @default 'channels_last'
   */
  dataFormat?: 'channels_last';
}

/**
 * What augmentation layers take besides a batch of images: images with their bounding boxes
 * (`boxes` `[B, N, 4]`, `labels` `[B, N]` class ids, -1 = padding) and/or segmentation masks
 * (`[B, h, w, 1]`), transformed consistently with the images. Layers that mix images (MixUp,
 * CutMix) read `labels` as per-image one-hot labels `[B, classes]` when there are no boxes.
 */
export interface AugmentationInputs {
  images: tf.Tensor;
  boxes?: tf.Tensor;
  labels?: tf.Tensor;
  segmentationMasks?: tf.Tensor;
}

/** The output of an augmentation layer on {@link AugmentationInputs}: the same keys, new tensors. */
export type AugmentationOutputs = AugmentationInputs;

/** True for a `{ images, ... }` record (as opposed to a tensor or a KerasTensor). */
export function isAugmentationInputs(x: unknown): x is AugmentationInputs {
  return (
    typeof x === 'object' &&
    x !== null &&
    !(x instanceof tf.Tensor) &&
    !(x instanceof KerasTensor) &&
    !Array.isArray(x) &&
    'images' in x
  );
}

/**
 * Refuses Keras 3 arguments a layer does not implement (its arguments follow KerasCV), so that a
 * Keras 3 config fails clearly instead of being read with those arguments silently dropped.
 */
export function refuseArguments(args: object, who: string, names: string[], instead: string): void {
  const given = names.filter((n) => (args as Record<string, unknown>)[n] !== undefined);
  if (given.length === 0) return;
  const received = given
    .map((n) => `${n}=${JSON.stringify((args as Record<string, unknown>)[n])}`)
    .join(', ');
  throw new ValueError(
    `${who}: Keras 3's ${given.join(', ')} ${given.length === 1 ? 'argument is' : 'arguments are'} not supported; this layer takes ${instead}. Received: ${received}.`,
  );
}

/** A parameter range: `f` means `[-f, f]` (or `[1 - f, 1 + f]` where the layer says so), a pair is taken as is. */
export type Factor = number | [number, number];

/** `[lower, upper]` of a factor: a number f means [-f, f]; checks the bounds. */
export function factorRange(
  factor: Factor,
  who: string,
  argument = 'factor',
  bounds: [number, number] = [-1, 1],
): [number, number] {
  const [lo, hi] = typeof factor === 'number' ? [-Math.abs(factor), Math.abs(factor)] : factor;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi || lo < bounds[0] || hi > bounds[1]) {
    throw new ValueError(
      `${who}: ${argument} must be a number or a [lower, upper] pair within [${bounds[0]}, ${bounds[1]}]. Received: ${argument}=${JSON.stringify(factor)}.`,
    );
  }
  return [lo, hi];
}

/** A probability factor as Keras 3 takes it: `f` or `[lo, hi]` within [0, 1]. */
export type ProbabilityFactor = number | [number, number];

/**
 * A range inside [0, 1] as Keras 3's `_set_factor` reads one: `f` means `[0, f]`, a pair is sorted.
 * Fails naming `argument`, the expected form and the received value.
 */
export function unitRange(
  value: number | [number, number],
  who: string,
  argument: string,
): [number, number] {
  const pair = typeof value === 'number' ? [0, Math.abs(value)] : value;
  const ok =
    Array.isArray(pair) &&
    pair.length === 2 &&
    pair.every((v) => typeof v === 'number' && v >= 0 && v <= 1);
  if (!ok) {
    throw new ValueError(
      `${who}: ${argument} must be a number in [0, 1] or a pair of them. Received: ${argument}=${JSON.stringify(value)}.`,
    );
  }
  const [a, b] = pair as [number, number];
  return a <= b ? [a, b] : [b, a];
}

/**
 * Keras 3's probability factor (RandomPerspective, RandomElasticTransform, RandomErasing,
 * RandomGaussianBlur, RandomInvert): each image gets its own probability `p ~ U(lo, hi)` and is
 * transformed when a uniform draw falls below it; `f` means `[0, f]`, so `f` transforms a fraction
 * `f / 2` of the images on average and `[f, f]` exactly `f`.
 */
export function probabilityRange(factor: ProbabilityFactor, who: string): [number, number] {
  return unitRange(factor, who, 'factor');
}

/**
 * The base of Cornu's image preprocessing and augmentation layers (Keras 3's
 * `BaseImagePreprocessingLayer`): `apply(images)` for a batch `[B, h, w, c]` or one image
 * `[h, w, c]`, or `apply({ images, boxes, labels, segmentationMasks })` to transform boxes and
 * masks consistently with the images. Random layers draw their parameters on the host from a
 * seeded stream (`seed`), once per call and image, and are active only with `training: true`.
 */
export abstract class BaseImageAugmentationLayer<P = unknown> extends Layer {
  readonly seed: number | null;
  readonly boundingBoxFormat: BoxFormat;
  /** Preprocessing layers (Resizing, CenterCrop, ...) transform at inference too. */
  protected readonly alwaysActive: boolean = false;
  #rng: () => number;
  readonly #boundingBoxFormatGiven: boolean;

  constructor(args: BaseImageAugmentationLayerArgs = {}) {
    super(args);
    const { seed = null, boundingBoxFormat = 'xyxy', dataFormat = 'channels_last' } = args;
    if (dataFormat !== 'channels_last') {
      throw new ValueError(
        `${this.who}: dataFormat must be 'channels_last' (images [B, h, w, c]); channels_first is not supported. Received: dataFormat=${JSON.stringify(dataFormat)}.`,
      );
    }
    if (seed !== null && (!Number.isInteger(seed) || seed < 0)) {
      throw new ValueError(
        `${this.who}: seed must be a non-negative integer or null. Received: seed=${String(seed)}.`,
      );
    }
    this.seed = seed;
    this.boundingBoxFormat = checkFormat(boundingBoxFormat, this.who);
    this.#boundingBoxFormatGiven = args.boundingBoxFormat !== undefined;
    this.#rng = utils.createRng(seed ?? utils.nextSeed());
  }

  /** A uniform number in [lo, hi) from the layer's stream. */
  protected uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.#rng();
  }

  /** Whether to transform one image, for a Keras probability factor range (see `probabilityRange`). */
  protected drawApplied(range: [number, number]): boolean {
    const p = this.uniform(range[0], range[1]);
    return this.uniform() < p;
  }

  /** The layer's uniform [0, 1) stream, for the samplers in distributions.ts. */
  protected get stream(): () => number {
    return this.#rng;
  }

  /**
   * A seed for a tfjs random op, from the layer's stream, passed through core's `tfjsSeed` (tfjs's
   * normal generator takes seed 0 for "no seed").
   */
  protected nextOpSeed(): number {
    return utils.tfjsSeed(Math.floor(this.#rng() * 0x7fffffff));
  }

  /** Draws this call's random parameters (one set per image). */
  protected abstract sampleParameters(batch: number, height: number, width: number): P;

  /** Transforms a float32 batch `[B, h, w, c]` (called inside a tidy). */
  protected abstract augmentImages(images: tf.Tensor4D, params: P): tf.Tensor4D;

  /** Transforms absolute xyxy boxes `[B, N, 4]` and their labels; the default returns them unchanged. */
  protected augmentBoxes(
    boxes: tf.Tensor3D,
    labels: tf.Tensor2D,
    _params: P,
    _height: number,
    _width: number,
  ): { boxes: tf.Tensor3D; labels: tf.Tensor2D } {
    return { boxes, labels };
  }

  /** Transforms masks `[B, h, w, k]`; the default returns them unchanged. */
  protected augmentMasks(masks: tf.Tensor4D, _params: P): tf.Tensor4D {
    return masks;
  }

  /** Output `[height, width]` for an input of `[height, width]`. */
  protected outputSize(height: number, width: number): [number, number] {
    return [height, width];
  }

  /** Whether this call transforms (training, or a preprocessing layer). Subclasses may transform at inference differently. */
  protected isActive(training: boolean): boolean {
    return training || this.alwaysActive;
  }

  /** Parameters of the inference-time transform, or null for the identity. */
  protected inferenceParameters(_batch: number, _height: number, _width: number): P | null {
    return null;
  }

  /** Images, boxes and masks transformed together with one draw of the parameters. */
  augment(inputs: AugmentationInputs, args: { training?: boolean } = {}): AugmentationOutputs {
    const { images, boxes, labels, segmentationMasks } = inputs;
    if (!(images instanceof tf.Tensor) || (images.rank !== 3 && images.rank !== 4)) {
      throw new ValueError(
        `${this.who}: images must be a tensor [B, h, w, c] or [h, w, c], received ${images instanceof tf.Tensor ? `shape [${images.shape.join(', ')}]` : String(images)}.`,
      );
    }
    const single = images.rank === 3;
    this.maybeBuild(images.shape as Shape);
    const batch = single ? 1 : (images.shape[0] as number);
    const [height, width] = images.shape.slice(single ? 0 : 1, single ? 2 : 3) as [number, number];
    if (boxes !== undefined && labels === undefined)
      throw new ValueError(`${this.who}: boxes need their labels ({ images, boxes, labels }).`);
    const training = args.training ?? false;
    const params = this.isActive(training)
      ? this.sampleParameters(batch, height, width)
      : this.inferenceParameters(batch, height, width);
    return tf.tidy(() => {
      const expand = (t: tf.Tensor) => (single ? tf.expandDims(t, 0) : t);
      const squeeze = (t: tf.Tensor) => (single ? tf.squeeze(t, [0]) : t);
      const out = {} as AugmentationOutputs;
      let x = expand(images) as tf.Tensor4D;
      if (x.dtype !== 'float32') x = tf.cast(x, 'float32');
      out.images = params === null ? tf.clone(x) : this.augmentImages(x, params);
      out.images = squeeze(out.images);
      const [outHeight, outWidth] =
        params === null ? [height, width] : this.outputSize(height, width);
      if (boxes !== undefined && labels !== undefined && this.imageLabelsOnly() === false) {
        const b = expand(boxes) as tf.Tensor3D;
        const l = expand(labels) as tf.Tensor2D;
        const xyxy = convertFormat(b, {
          source: this.boundingBoxFormat,
          target: 'xyxy',
          height,
          width,
        }) as tf.Tensor3D;
        const moved =
          params === null
            ? { boxes: xyxy, labels: l }
            : this.augmentBoxes(xyxy, l, params, height, width);
        out.boxes = squeeze(
          convertFormat(moved.boxes, {
            source: 'xyxy',
            target: this.boundingBoxFormat,
            height: outHeight,
            width: outWidth,
          }),
        );
        out.labels = squeeze(tf.clone(moved.labels));
      } else if (labels !== undefined) {
        out.labels = tf.clone(labels);
        if (boxes !== undefined) out.boxes = tf.clone(boxes);
      }
      if (segmentationMasks !== undefined) {
        const m = expand(segmentationMasks) as tf.Tensor4D;
        const moved = params === null ? m : this.augmentMasks(m, params);
        out.segmentationMasks = squeeze(moved === m ? tf.clone(m) : moved);
      }
      return out as unknown as tf.TensorContainer;
    }) as unknown as AugmentationOutputs;
  }

  /** Layers mixing images (MixUp, CutMix) treat labels as image labels; others as box labels. */
  protected imageLabelsOnly(): boolean {
    return false;
  }

  override apply(inputs: KerasTensor, args?: ApplyArgs): KerasTensor;
  override apply(inputs: KerasTensor[], args?: ApplyArgs): KerasTensor | KerasTensor[];
  override apply(inputs: AugmentationInputs, args?: ApplyArgs): AugmentationOutputs;
  override apply(inputs: tf.Tensor, args?: ApplyArgs): tf.Tensor;
  override apply(inputs: tf.Tensor[], args?: ApplyArgs): tf.Tensor | tf.Tensor[];
  override apply(
    inputs: tf.Tensor | KerasTensor | (tf.Tensor | KerasTensor)[],
    args?: ApplyArgs,
  ): tf.Tensor | KerasTensor | (tf.Tensor | KerasTensor)[];
  override apply(
    inputs: tf.Tensor | KerasTensor | (tf.Tensor | KerasTensor)[] | AugmentationInputs,
    args: ApplyArgs = {},
  ): tf.Tensor | KerasTensor | (tf.Tensor | KerasTensor)[] | AugmentationOutputs {
    if (isAugmentationInputs(inputs))
      return this.augment(inputs, { training: args.training ?? false });
    return super.apply(inputs, args);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], args: CallArgs): tf.Tensor {
    const images = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const out = this.augment({ images }, { training: args.training ?? false });
    return out.images;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (shape.length !== 3 && shape.length !== 4) {
      throw new ValueError(
        `${this.who}: expected images [B, h, w, c] or [h, w, c], received shape [${shape.join(', ')}].`,
      );
    }
    const offset = shape.length === 4 ? 1 : 0;
    const h = shape[offset];
    const w = shape[offset + 1];
    if (h === null || h === undefined || w === null || w === undefined) {
      const [oh, ow] = this.outputSize(Number.NaN, Number.NaN);
      const out = [...shape];
      out[offset] = Number.isNaN(oh) ? null : oh;
      out[offset + 1] = Number.isNaN(ow) ? null : ow;
      return out;
    }
    const [oh, ow] = this.outputSize(h, w);
    const out = [...shape];
    out[offset] = oh;
    out[offset + 1] = ow;
    return out;
  }

  override getConfig(): Config {
    // Keras writes data_format for every image layer, and seed only for the random ones: its
    // preprocessing layers (Resizing, CenterCrop, AutoContrast, Equalization) refuse a seed key.
    // bounding_box_format is written when it was given (Keras's default is None).
    const config: Config = { ...super.getConfig(), data_format: 'channels_last' };
    if (!this.alwaysActive) config.seed = this.seed;
    if (this.#boundingBoxFormatGiven || this.boundingBoxFormat !== 'xyxy')
      config.bounding_box_format = this.boundingBoxFormat;
    return config;
  }
}
