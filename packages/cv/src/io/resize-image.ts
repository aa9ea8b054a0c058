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
      // TF's sampling_kernels.h: 1 near 0 (the sin(x)/x limit), 0 past the radius
      if (x <= 1e-3) return 1;
      if (x > n) return 0;
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

const f32 = Math.fround;

/** C's `lrintf` for the non-negative values it is used on here: round half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return v - Math.floor(v) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const TABLE_SIZE = 1024;
let keysCubicTable: Float32Array | undefined;

/** TF's `resize_bicubic` coefficient table: Keys cubic (a = -0.5) at 1025 offsets in [0, 1]. */
function cubicTable(): Float32Array {
  if (keysCubicTable) return keysCubicTable;
  const a = -0.5;
  const table = new Float32Array((TABLE_SIZE + 1) * 2);
  for (let i = 0; i <= TABLE_SIZE; i++) {
    const x = i / TABLE_SIZE;
    table[i * 2] = ((a + 2) * x - (a + 3)) * x * x + 1;
    const x1 = x + 1;
    table[i * 2 + 1] = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a;
  }
  keysCubicTable = table;
  return table;
}

/**
 * TF's `resize_bicubic` with half-pixel centres (what `tf.image.resize(method='bicubic')` runs
 * without antialias): the fractional offset is quantised to 1/1024 and looked up in a Keys cubic
 * table, taps outside the image get weight 0 and the 4 weights are renormalised. The quantisation
 * moves values by up to ~5e-4 of the image range against the exact kernel (JAX's cubic); we follow
 * TF, which Keras's TensorFlow backend calls.
 */
function bicubicTableWeights(inSize: number, outSize: number): Float32Array {
  const w = new Float32Array(outSize * inSize);
  const table = cubicTable();
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    const inLocF = f32(f32((i + 0.5) * scale) - 0.5);
    const inLoc = Math.floor(inLocF);
    const offset = roundHalfEven(f32(f32(inLocF - inLoc) * TABLE_SIZE));
    const taps: [number, number][] = [
      [inLoc - 1, table[offset * 2 + 1] as number],
      [inLoc, table[offset * 2] as number],
      [inLoc + 1, table[(TABLE_SIZE - offset) * 2] as number],
      [inLoc + 2, table[(TABLE_SIZE - offset) * 2 + 1] as number],
    ];
    let total = 0;
    for (const [j, v] of taps) if (j >= 0 && j < inSize) total = f32(total + v);
    const norm = Math.abs(total) > 1e-30 ? f32(1 / total) : 1;
    for (const [j, v] of taps) if (j >= 0 && j < inSize) w[i * inSize + j] = f32(v * norm);
  }
  return w;
}

/**
 * The `[outSize, inSize]` resampling matrix of one axis, computed as TF's `scale_and_translate`
 * computes its spans (half-pixel centres, float32 arithmetic, so that taps exactly at a kernel's
 * radius are kept or dropped as TF does): row i holds the normalised kernel weights of the input
 * pixels around `(i + 0.5) * in / out`. Bicubic without antialias follows TF's `resize_bicubic`
 * table instead, area averages the covered input pixels.
 */
export function resampleWeights(
  inSize: number,
  outSize: number,
  interpolation: Interpolation,
  antialias = false,
): Float32Array {
  if (interpolation === 'bicubic' && !antialias) return bicubicTableWeights(inSize, outSize);
  const w = new Float32Array(outSize * inSize);
  if (interpolation === 'area') {
    const scale = inSize / outSize;
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
  const invScale = f32(1 / f32(outSize / inSize));
  const kernelScale = antialias ? Math.max(invScale, 1) : 1;
  const oneOverKernelScale = f32(1 / kernelScale);
  const reach = f32(kernel.support * kernelScale);
  const weights: number[] = [];
  for (let i = 0; i < outSize; i++) {
    const sample = f32((i + 0.5) * invScale);
    const lo = Math.min(Math.max(Math.ceil(f32(f32(sample - reach) - 0.5)), 0), inSize - 1);
    const hi = Math.min(Math.max(Math.floor(f32(f32(sample + reach) - 0.5)), 0), inSize - 1);
    let total = 0;
    weights.length = 0;
    for (let j = lo; j <= hi; j++) {
      const v = f32(kernel.fn(f32(Math.abs(f32(j + 0.5 - sample)) * oneOverKernelScale)));
      weights.push(v);
      total = f32(total + v);
    }
    const norm = Math.abs(total) > 1e-30 ? f32(1 / total) : 0;
    for (let j = lo; j <= hi; j++) w[i * inSize + j] = f32((weights[j - lo] as number) * norm);
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

/**
 * Keras's padded canvas (offset of the image and canvas size) for `padToAspectRatio`. Keras pads
 * `floor((padHeight - height) / 2)` rows on each side (likewise columns), so when the padding is
 * odd the canvas is one row or column short of the exact aspect ratio; we do the same.
 */
export function aspectRatioPadBox(
  height: number,
  width: number,
  targetHeight: number,
  targetWidth: number,
): [number, number, number, number] {
  const padHeight = Math.max(height, Math.trunc((width * targetHeight) / targetWidth));
  const padWidth = Math.max(width, Math.trunc((height * targetWidth) / targetHeight));
  const top = Math.trunc((padHeight - height) / 2);
  const left = Math.trunc((padWidth - width) / 2);
  return [top, left, height + 2 * top, width + 2 * left];
}

/** Kernels that do not interpolate: even a same-size resize smooths the image (as in TF). */
const SMOOTHING: readonly Interpolation[] = ['gaussian', 'mitchellcubic'];

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
    if (x.shape[1] === height && x.shape[2] === width && !SMOOTHING.includes(interpolation))
      out = tf.clone(x);
    else if (interpolation === 'nearest')
      out = tf.image.resizeNearestNeighbor(x, [height, width], false, true);
    else if (interpolation === 'bilinear' && !antialias)
      out = tf.image.resizeBilinear(x, [height, width], false, true);
    else out = resampleSeparable(x, height, width, interpolation, antialias);
    return (image.rank === 3 ? tf.squeeze(out, [0]) : out) as T;
  });
}
