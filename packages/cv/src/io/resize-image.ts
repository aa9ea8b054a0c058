import { tf, ValueError } from '@cornu/core';

/** Keras's resize interpolations. */
export type Interpolation =
  | 'nearest'
  | 'bilinear'
  | 'bicubic'
  | 'area'
  | 'lanczos3'
  | 'lanczos5'
  | 'gaussian'
  | 'mitchellcubic';

export const INTERPOLATIONS: readonly Interpolation[] = [
  'nearest',
  'bilinear',
  'bicubic',
  'area',
  'lanczos3',
  'lanczos5',
  'gaussian',
  'mitchellcubic',
];

/** Options of {@link resizeImage}. */
export interface ResizeImageOptions {
  /** @default 'bilinear' */
  interpolation?: Interpolation;
  /** Widen the kernel when downsampling (TF's `antialias`); nearest and area ignore it. @default false */
  antialias?: boolean;
  /** Center-crop the largest window of the target aspect ratio first (no distortion). @default false */
  cropToAspectRatio?: boolean;
  /** Pad symmetrically with `fillValue` to the target aspect ratio first (no distortion). @default false */
  padToAspectRatio?: boolean;
  /** Padding value of `padToAspectRatio`. @default 0 */
  fillValue?: number;
}

type Kernel = { support: number; fn: (x: number) => number };

function cubic(a: number): Kernel {
  return {
    support: 2,
    fn: (t) => {
      const x = Math.abs(t);
      if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
      return 0;
    },
  };
}

function lanczos(n: number): Kernel {
  return {
    support: n,
    fn: (t) => {
      const x = Math.abs(t);
      if (x < 1e-7) return 1;
      if (x >= n) return 0;
      const px = Math.PI * x;
      return (n * Math.sin(px) * Math.sin(px / n)) / (px * px);
    },
  };
}

const KERNELS: Partial<Record<Interpolation, Kernel>> = {
  bicubic: cubic(-0.5),
  lanczos3: lanczos(3),
  lanczos5: lanczos(5),
  gaussian: { support: 1.5, fn: (t) => (Math.abs(t) >= 1.5 ? 0 : Math.exp(-2 * t * t)) },
  mitchellcubic: {
    support: 2,
    fn: (t) => {
      const x = Math.abs(t);
      if (x >= 2) return 0;
      if (x >= 1) return (((-7 / 18) * x + 2) * x - 10 / 3) * x + 16 / 9;
      return ((7 / 6) * x - 2) * x * x + 8 / 9;
    },
  },
};

/**
 * The `[outSize, inSize]` resampling matrix of one axis (TF's scale-and-translate with half-pixel
 * centres): row i holds the normalised kernel weights of the input pixels around `(i + 0.5) * in / out - 0.5`.
 */
export function resampleWeights(
  inSize: number,
  outSize: number,
  interpolation: Interpolation,
  antialias = false,
): Float32Array {
  const w = new Float32Array(outSize * inSize);
  const scale = inSize / outSize;
  if (interpolation === 'area') {
    for (let i = 0; i < outSize; i++) {
      const start = i * scale;
      const end = (i + 1) * scale;
      for (let j = Math.floor(start); j < Math.min(Math.ceil(end), inSize); j++) {
        const overlap = Math.min(end, j + 1) - Math.max(start, j);
        if (overlap > 0) w[i * inSize + j] = overlap / scale;
      }
    }
    return w;
  }
  const kernel = KERNELS[interpolation] ?? {
    support: 1,
    fn: (t: number) => Math.max(0, 1 - Math.abs(t)),
  };
  const kernelScale = antialias ? Math.max(scale, 1) : 1;
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(center - kernel.support * kernelScale));
    const hi = Math.min(inSize - 1, Math.ceil(center + kernel.support * kernelScale));
    let total = 0;
    for (let j = lo; j <= hi; j++) {
      const v = kernel.fn((j + 0.5 - center) / kernelScale);
      w[i * inSize + j] = v;
      total += v;
    }
    if (Math.abs(total) > 1e-12)
      for (let j = lo; j <= hi; j++) w[i * inSize + j] = (w[i * inSize + j] as number) / total;
  }
  return w;
}

/** Resamples a `[b, h, w, c]` float tensor to `[b, height, width, c]` with separable kernel weights. */
function resampleSeparable(
  x: tf.Tensor4D,
  height: number,
  width: number,
  interpolation: Interpolation,
  antialias: boolean,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const wh = tf.tensor2d(resampleWeights(h, height, interpolation, antialias), [height, h]);
    const ww = tf.tensor2d(resampleWeights(w, width, interpolation, antialias), [width, w]);
    // rows: [h, b*w*c] -> [height, b*w*c]
    const rows = tf.matMul(wh, tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [h, b * w * c]));
    const byRow = tf.transpose(tf.reshape(rows, [height, b, w, c]), [2, 1, 0, 3]); // [w, b, height, c]
    const cols = tf.matMul(ww, tf.reshape(byRow, [w, b * height * c]));
    return tf.transpose(tf.reshape(cols, [width, b, height, c]), [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/** Keras's crop window (offset and size on one axis pair) for `cropToAspectRatio`. */
export function aspectRatioCropBox(
  height: number,
  width: number,
  targetHeight: number,
  targetWidth: number,
): [number, number, number, number] {
  const cropHeight = Math.max(
    Math.min(height, Math.trunc((width * targetHeight) / targetWidth)),
    1,
  );
  const cropWidth = Math.max(Math.min(width, Math.trunc((height * targetWidth) / targetHeight)), 1);
  return [
    Math.trunc((height - cropHeight) / 2),
    Math.trunc((width - cropWidth) / 2),
    cropHeight,
    cropWidth,
  ];
}

/** Keras's padded canvas (offset of the image and canvas size) for `padToAspectRatio`. */
export function aspectRatioPadBox(
  height: number,
  width: number,
  targetHeight: number,
  targetWidth: number,
): [number, number, number, number] {
  const padHeight = Math.max(height, Math.trunc((width * targetHeight) / targetWidth));
  const padWidth = Math.max(width, Math.trunc((height * targetWidth) / targetHeight));
  return [
    Math.trunc((padHeight - height) / 2),
    Math.trunc((padWidth - width) / 2),
    padHeight,
    padWidth,
  ];
}

/**
 * Resizes an image `[h, w, c]` or a batch `[b, h, w, c]` to `[height, width]` (Keras's
 * `ops.image.resize`): half-pixel centres, Keras's interpolations, optional crop or pad to the
 * target aspect ratio. The result is float32.
 *
 * @example
 * ```ts
 * const small = resizeImage(image, [224, 224], { interpolation: 'bilinear', cropToAspectRatio: true });
 * ```
 */
export function resizeImage<T extends tf.Tensor3D | tf.Tensor4D>(
  image: T,
  size: [number, number],
  options: ResizeImageOptions = {},
): T {
  const {
    interpolation = 'bilinear',
    antialias = false,
    cropToAspectRatio = false,
    padToAspectRatio = false,
    fillValue = 0,
  } = options;
  if (image.rank !== 3 && image.rank !== 4) {
    throw new ValueError(
      `resizeImage: expected an image [h, w, c] or a batch [b, h, w, c], received shape [${image.shape.join(', ')}].`,
    );
  }
  const [height, width] = size;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new ValueError(
      `resizeImage: size must be two positive integers [height, width]. Received: size=${JSON.stringify(size)}.`,
    );
  }
  if (!INTERPOLATIONS.includes(interpolation)) {
    throw new ValueError(
      `resizeImage: unknown interpolation ${JSON.stringify(interpolation)}. Expected one of ${INTERPOLATIONS.join(', ')}.`,
    );
  }
  if (cropToAspectRatio && padToAspectRatio) {
    throw new ValueError(
      'resizeImage: cropToAspectRatio and padToAspectRatio are exclusive; received both true.',
    );
  }
  return tf.tidy(() => {
    let x = (image.rank === 3 ? tf.expandDims(image, 0) : image) as tf.Tensor4D;
    if (x.dtype !== 'float32') x = tf.cast(x, 'float32');
    const [, h, w] = x.shape;
    if (cropToAspectRatio) {
      const [top, left, ch, cw] = aspectRatioCropBox(h, w, height, width);
      x = tf.slice(x, [0, top, left, 0], [-1, ch, cw, -1]);
    } else if (padToAspectRatio) {
      const [top, left, ph, pw] = aspectRatioPadBox(h, w, height, width);
      x = tf.pad(
        x,
        [
          [0, 0],
          [top, ph - h - top],
          [left, pw - w - left],
          [0, 0],
        ],
        fillValue,
      );
    }
    let out: tf.Tensor4D;
    if (x.shape[1] === height && x.shape[2] === width) out = tf.clone(x);
    else if (interpolation === 'nearest')
      out = tf.image.resizeNearestNeighbor(x, [height, width], false, true);
    else if (interpolation === 'bilinear' && !antialias)
      out = tf.image.resizeBilinear(x, [height, width], false, true);
    else out = resampleSeparable(x, height, width, interpolation, antialias);
    return (image.rank === 3 ? tf.squeeze(out, [0]) : out) as T;
  });
}
