import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { tf, ValueError } from '@cornu/core';
import sharp from 'sharp';

/** Options of {@link readImage}. */
export interface ReadImageOptions {
  /** Channels of the result: 1 (grayscale), 3 (RGB, alpha dropped) or 4 (RGBA, opaque alpha added). @default 3 */
  channels?: 1 | 3 | 4;
  /** Dtype of the result; values are 0..255 either way. @default 'float32' */
  dtype?: 'float32' | 'int32';
}

/** Where an image comes from: a file path or the encoded bytes. */
export type ImageSource = string | Uint8Array;

function describeSource(source: ImageSource): string {
  return typeof source === 'string' ? `'${source}'` : `a ${source.length}-byte buffer`;
}

/**
 * Decoded pixels of an image, as 8-bit interleaved bytes. Shared by {@link readImage} and the
 * dataset loader. EXIF orientation is applied; only the first frame of an animation is read.
 */
export async function decodeImage(
  source: ImageSource,
  channels: 1 | 3 | 4 = 3,
): Promise<{ data: Uint8Array; height: number; width: number; channels: 1 | 3 | 4 }> {
  const input =
    typeof source === 'string'
      ? source
      : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  try {
    let pipeline = sharp(input, { pages: 1, failOn: 'error' }).rotate();
    if (channels === 1) pipeline = pipeline.grayscale().removeAlpha();
    else if (channels === 3) pipeline = pipeline.removeAlpha().toColourspace('srgb');
    else pipeline = pipeline.ensureAlpha().toColourspace('srgb');
    const { data, info } = await pipeline
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== channels) {
      throw new ValueError(`decoded ${info.channels} channels where ${channels} were requested`);
    }
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      height: info.height,
      width: info.width,
      channels,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ValueError(
      `readImage: could not decode ${describeSource(source)} (${reason}). Expected a JPEG, PNG, WebP, GIF, AVIF or TIFF image.`,
      { cause: error },
    );
  }
}

/**
 * Reads an image file (or encoded bytes) into a `[height, width, channels]` tensor with values
 * 0..255, through sharp: JPEG, PNG, WebP, GIF (first frame), AVIF and TIFF, with the EXIF
 * orientation applied (Keras's `load_img` + `img_to_array`).
 *
 * @example
 * ```ts
 * const image = await readImage('china.jpg'); // Tensor3D [427, 640, 3], float32 0..255
 * ```
 */
export async function readImage(
  source: ImageSource,
  options: ReadImageOptions = {},
): Promise<tf.Tensor3D> {
  const { channels = 3, dtype = 'float32' } = options;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ValueError(
      `readImage: channels must be 1, 3 or 4. Received: channels=${String(channels)}.`,
    );
  }
  if (dtype !== 'float32' && dtype !== 'int32') {
    throw new ValueError(
      `readImage: dtype must be 'float32' or 'int32'. Received: dtype=${JSON.stringify(dtype)}.`,
    );
  }
  const decoded = await decodeImage(source, channels);
  const values =
    dtype === 'float32' ? Float32Array.from(decoded.data) : Int32Array.from(decoded.data);
  return tf.tensor3d(values, [decoded.height, decoded.width, channels], dtype);
}

/** Options of {@link writeImage}. */
export interface WriteImageOptions {
  /**
   * Rescale the values from their [min, max] to [0, 255] first (Keras's `save_img(scale=True)`);
   * otherwise values are clipped to [0, 255] and rounded. @default false
   */
  scale?: boolean;
  /** Encoder quality for JPEG, WebP and AVIF (1-100). @default 90 */
  quality?: number;
}

const FORMATS: Record<string, 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff' | 'gif'> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
  '.avif': 'avif',
  '.tif': 'tiff',
  '.tiff': 'tiff',
  '.gif': 'gif',
};

/** 8-bit interleaved bytes of a `[h, w, c]` tensor (clipped and rounded, or min-max scaled). */
export function tensorToBytes(
  image: tf.Tensor,
  scale = false,
  who = 'writeImage',
): { data: Uint8Array; height: number; width: number; channels: number } {
  if (image.rank !== 3 || ![1, 3, 4].includes(image.shape[2] as number)) {
    throw new ValueError(
      `${who}: expected an image tensor [height, width, 1|3|4], received shape [${image.shape.join(', ')}].`,
    );
  }
  const [height, width, channels] = image.shape as [number, number, number];
  const values = tf.tidy(() => {
    let x = tf.cast(image, 'float32');
    if (scale) {
      const min = tf.min(x);
      const range = tf.maximum(tf.sub(tf.max(x), min), 1e-12);
      x = tf.mul(tf.div(tf.sub(x, min), range), 255);
    }
    return tf.round(tf.clipByValue(x, 0, 255));
  });
  const data = Uint8Array.from(values.dataSync());
  values.dispose();
  return { data, height, width, channels };
}

/**
 * Writes a `[height, width, channels]` tensor (values 0..255) to an image file; the format follows
 * the extension (.png, .jpg/.jpeg, .webp, .avif, .tif/.tiff, .gif).
 */
export async function writeImage(
  image: tf.Tensor,
  path: string,
  options: WriteImageOptions = {},
): Promise<void> {
  const { scale = false, quality = 90 } = options;
  const format = FORMATS[extname(path).toLowerCase()];
  if (!format) {
    throw new ValueError(
      `writeImage: unknown image extension in '${path}'. Expected one of ${Object.keys(FORMATS).join(', ')}.`,
    );
  }
  const { data, height, width, channels } = tensorToBytes(image, scale);
  const encoded = await sharp(data, { raw: { width, height, channels: channels as 1 | 3 | 4 } })
    .toFormat(format, format === 'png' || format === 'gif' || format === 'tiff' ? {} : { quality })
    .toBuffer();
  await writeFile(path, encoded);
}
