import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { RuntimeError, ValueError } from '../errors/errors.js';
import { parseTar } from './tar.js';

export interface GetFileOptions {
  /** Expected sha256 (64 hex digits) or md5 (32) of the downloaded file. */
  fileHash?: string;
  /**
   * 'auto' picks sha256 for a 64-digit hash and md5 otherwise.
   * @default 'auto'
   */
  hashAlgorithm?: 'auto' | 'sha256' | 'md5';
  /**
   * Cache root. Defaults to `$CORNU_HOME`, else `~/.cornu`.
   */
  cacheDir?: string;
  /**
   * Folder under the cache root (or an absolute folder).
   * @default 'datasets'
   */
  cacheSubdir?: string;
  /**
   * Extract a zip / tar / tar.gz archive into `<file>_extracted` and return that folder.
   * @default false
   */
  extract?: boolean;
  /**
   * Keras's legacy mode: the download is stored as `<fname>.tar.gz`, extracted into the cache
   * folder, and the path `<cache folder>/<fname>` is returned.
   * @default false
   */
  untar?: boolean;
  /**
   * Download again even if a valid copy is cached.
   * @default false
   */
  forceDownload?: boolean;
}

/** The cache root: `$CORNU_HOME`, else `~/.cornu`. */
export function cornuHome(): string {
  return process.env.CORNU_HOME || join(homedir(), '.cornu');
}

async function hashFile(path: string, algorithm: 'sha256' | 'md5'): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

function pickAlgorithm(
  fileHash: string,
  hashAlgorithm: GetFileOptions['hashAlgorithm'],
): 'sha256' | 'md5' {
  if (hashAlgorithm === 'sha256' || hashAlgorithm === 'md5') return hashAlgorithm;
  return fileHash.length === 64 ? 'sha256' : 'md5';
}

/** Byte size of a file, 0 when it does not exist. */
async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

/**
 * Streams `origin` into `part`, resuming from the bytes already there with an HTTP Range request.
 * An interrupted transfer keeps the `.part` file so that the next call resumes it.
 */
async function downloadTo(origin: string, part: string): Promise<void> {
  const have = await sizeOf(part);
  let response: Response;
  try {
    response = await fetch(origin, have > 0 ? { headers: { Range: `bytes=${have}-` } } : {});
  } catch (cause) {
    throw new RuntimeError(`getFile: could not reach ${origin}: ${(cause as Error).message}.`, {
      cause,
    });
  }
  if (response.status === 416 && have > 0) {
    // The part file already holds the whole body.
    await response.body?.cancel();
    return;
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new RuntimeError(
      `getFile: HTTP ${response.status} ${response.statusText} for ${origin}. Expected 200 (or 206 when resuming).`,
    );
  }
  const append = response.status === 206 && have > 0;
  const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
  try {
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
      out,
    );
  } catch (cause) {
    const got = await sizeOf(part);
    throw new RuntimeError(
      `getFile: the download of ${origin} was interrupted after ${got} bytes (${(cause as Error).message}). Call getFile again to resume it.`,
      { cause },
    );
  }
}

/** Detects the archive kind from its first bytes and lists its entries. */
function readArchive(
  bytes: Uint8Array,
  path: string,
): { name: string; data: Uint8Array; directory: boolean }[] {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    return Object.entries(unzipSync(bytes)).map(([name, data]) => ({
      name,
      data,
      directory: name.endsWith('/'),
    }));
  }
  const tarBytes =
    bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
  const isTar = new TextDecoder().decode(tarBytes.subarray(257, 262)) === 'ustar';
  if (!isTar) {
    throw new ValueError(`getFile: cannot extract ${path}: expected a zip, tar or tar.gz archive.`);
  }
  return parseTar(tarBytes)
    .filter((e) => e.type !== 'other')
    .map((e) => ({ name: e.name, data: e.data, directory: e.type === 'directory' }));
}

/** Extracts into a temporary folder beside `target`, then moves each top-level entry into place. */
async function extractArchive(archive: string, target: string): Promise<void> {
  const entries = readArchive(new Uint8Array(await readFile(archive)), archive);
  await mkdir(target, { recursive: true });
  const temp = await mkdtemp(join(dirname(target), `.${basename(target)}.extracting-`));
  try {
    for (const entry of entries) {
      const out = resolve(temp, entry.name);
      if (out !== temp && !out.startsWith(temp + sep)) {
        throw new ValueError(
          `getFile: archive ${archive} has an entry outside its folder: '${entry.name}'.`,
        );
      }
      if (entry.directory) {
        await mkdir(out, { recursive: true });
      } else {
        await mkdir(dirname(out), { recursive: true });
        await writeFile(out, entry.data);
      }
    }
    const tops = new Set(
      entries.map((e) => e.name.split('/').filter(Boolean)[0]).filter((n) => n !== undefined),
    );
    for (const top of tops) {
      const destination = join(target, top);
      if (existsSync(destination)) await rm(destination, { recursive: true, force: true });
      await rename(join(temp, top), destination);
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/**
 * Downloads `origin` into Cornu's cache unless a valid copy is there (Keras `get_file`), and
 * returns the local path.
 *
 * The file lands in `<cacheDir or $CORNU_HOME or ~/.cornu>/<cacheSubdir>/<fname>`. The transfer
 * goes to `<file>.part` and is renamed only once complete and hash-checked, so the final name never
 * holds half a file; an interrupted transfer resumes with an HTTP Range request on the next call.
 * A hash mismatch deletes the download and throws; a cached file with a wrong hash is fetched again.
 *
 * @example
 * const path = await utils.getFile('mnist.npz',
 *   'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz',
 *   { fileHash: '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1' });
 */
export async function getFile(
  fname: string | undefined,
  origin: string,
  options: GetFileOptions = {},
): Promise<string> {
  const {
    fileHash,
    hashAlgorithm = 'auto',
    cacheDir = cornuHome(),
    cacheSubdir = 'datasets',
    extract = false,
    untar = false,
    forceDownload = false,
  } = options;
  if (!origin) throw new ValueError('getFile: origin must be a URL. Received: an empty origin.');
  let name = fname || basename(new URL(origin).pathname);
  if (!name) {
    throw new ValueError(`getFile: cannot derive a file name from origin '${origin}'. Pass fname.`);
  }
  const datadir = isAbsolute(cacheSubdir) ? cacheSubdir : join(cacheDir, cacheSubdir);
  await mkdir(datadir, { recursive: true });
  if (untar) name = name.replace(/\.tar\.gz$/, '');
  const untarPath = isAbsolute(name) ? name : join(datadir, name);
  const fpath = untar ? `${untarPath}.tar.gz` : untarPath;
  await mkdir(dirname(fpath), { recursive: true });

  let download = forceDownload || !existsSync(fpath);
  if (!download && fileHash) {
    const algorithm = pickAlgorithm(fileHash, hashAlgorithm);
    if ((await hashFile(fpath, algorithm)) !== fileHash.toLowerCase()) download = true;
  }
  if (download) {
    const part = `${fpath}.part`;
    if (forceDownload) await rm(part, { force: true });
    await downloadTo(origin, part);
    if (fileHash) {
      const algorithm = pickAlgorithm(fileHash, hashAlgorithm);
      const actual = await hashFile(part, algorithm);
      if (actual !== fileHash.toLowerCase()) {
        await unlink(part);
        throw new ValueError(
          `getFile: the ${algorithm} of the file downloaded from ${origin} is ${actual}, expected ${fileHash}. The download was deleted; the file at the origin changed or the transfer was corrupted.`,
        );
      }
    }
    await rename(part, fpath);
  }

  if (untar) {
    if (download || !existsSync(untarPath)) await extractArchive(fpath, dirname(untarPath));
    return untarPath;
  }
  if (extract) {
    const target = `${fpath}_extracted`;
    if (download || !existsSync(target)) {
      await rm(target, { recursive: true, force: true });
      await extractArchive(fpath, target);
    }
    return target;
  }
  return fpath;
}
