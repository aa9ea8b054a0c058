import { gunzipSync } from 'node:zlib';
import { ValueError } from '../errors/errors.js';
import { getFile } from '../utils/get-file.js';

/** Where Keras's dataset files live; `mirror` replaces it. */
export const KERAS_DATASETS_ORIGIN = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';

/** Download options shared by every downloaded dataset's `loadData`. */
export interface DownloadArgs {
  /**
   * Base URL that replaces the dataset's origin folder (a mirror or a local server); file names
   * stay the same.
   */
  mirror?: string;
  /** Cache root; see `utils.getFile`. Defaults to `$CORNU_HOME`, else `~/.cornu`. */
  cacheDir?: string;
  /**
   * sha256 per file name, replacing the published hashes (for a mirror serving other bytes).
   * The check itself is always on.
   */
  fileHashes?: Record<string, string>;
}

export async function fetchDatasetFile(
  fname: string,
  defaultOrigin: string,
  publishedHash: string,
  { mirror, cacheDir, fileHashes }: DownloadArgs,
  extra: { cacheSubdir?: string; untar?: boolean; cachedName?: string } = {},
): Promise<string> {
  const base = mirror === undefined ? defaultOrigin : mirror.endsWith('/') ? mirror : `${mirror}/`;
  return getFile(extra.cachedName ?? fname, base + fname, {
    fileHash: fileHashes?.[fname] ?? publishedHash,
    ...(cacheDir === undefined ? {} : { cacheDir }),
    ...(extra.cacheSubdir === undefined ? {} : { cacheSubdir: extra.cacheSubdir }),
    untar: extra.untar ?? false,
  });
}

/** Reads a (gzipped or raw) IDX file: returns the dimensions and the uint8 payload. */
export function parseIdx(bytes: Uint8Array, file: string): { dims: number[]; data: Uint8Array } {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const magic = view.getUint32(0, false);
  if (magic >>> 8 !== 0x08) {
    throw new ValueError(
      `${file}: expected an IDX file of unsigned bytes (magic 0x08xx), received magic 0x${magic.toString(16)}.`,
    );
  }
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * rank;
  if (raw.length - start < count) {
    throw new ValueError(
      `${file}: holds ${raw.length - start} data bytes, expected ${count} for dims [${dims}].`,
    );
  }
  return { dims, data: raw.subarray(start, start + count) };
}

/** Removes sequences of length >= maxlen (Keras `remove_long_seq`). */
export function removeLongSequences(
  maxlen: number,
  xs: number[][],
  labels: number[],
): [number[][], number[]] {
  const outX: number[][] = [];
  const outY: number[] = [];
  xs.forEach((x, i) => {
    if (x.length < maxlen) {
      outX.push(x);
      outY.push(labels[i]!);
    }
  });
  return [outX, outY];
}
