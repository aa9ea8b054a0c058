/**
 * Zip archives through fflate, read defensively: entries are only ever read into memory (never
 * extracted to disk), and unsafe names, corrupt data and archives that would decompress past a size
 * limit are refused with an error naming the file.
 */
import { unzipSync, zipSync } from 'fflate';
import { ValueError } from '../errors/errors.js';

/** Default limit on the total decompressed size of an archive (bytes). */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 4 * 1024 ** 3;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** True when `bytes` start with a zip local file header (`PK\x03\x04`). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

/** True when a zip entry name could escape a target folder (`..` segment, absolute or drive path). */
export function isUnsafeEntryName(name: string): boolean {
  const normalized = name.replace(/\\/g, '/');
  return (
    normalized.startsWith('/') ||
    /^[a-zA-Z]:/.test(normalized) ||
    normalized.split('/').some((part) => part === '..') ||
    normalized.includes('\0')
  );
}

/** Reads every entry of the zip `bytes` (from `file`) into memory, after the safety checks. */
export function readZip(
  bytes: Uint8Array,
  file: string,
  maxBytes = DEFAULT_MAX_UNCOMPRESSED_BYTES,
): Map<string, Uint8Array> {
  if (!isZip(bytes)) {
    throw new ValueError(
      `${file}: not a zip archive (expected the magic bytes PK\\x03\\x04, received ${JSON.stringify(Array.from(bytes.slice(0, 4)))}). A .keras file is a zip of config.json, metadata.json and model.weights.h5.`,
    );
  }
  let total = 0;
  let problem: string | null = null;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (info) => {
        if (problem) return false;
        if (isUnsafeEntryName(info.name)) {
          problem = `entry '${info.name}' has an unsafe path (absolute or containing '..'); refusing the archive`;
          return false;
        }
        total += info.originalSize;
        if (total > maxBytes) {
          problem = `the archive decompresses to more than ${maxBytes} bytes (limit maxUncompressedBytes); refusing it`;
          return false;
        }
        return true;
      },
    });
  } catch (error) {
    if (problem) throw new ValueError(`${file}: ${problem}.`);
    throw new ValueError(
      `${file}: the zip archive is truncated or corrupted (${error instanceof Error ? error.message : String(error)}).`,
      {
        cause: error,
      },
    );
  }
  if (problem) throw new ValueError(`${file}: ${problem}.`);
  const out = new Map<string, Uint8Array>();
  let actual = 0;
  for (const [name, data] of Object.entries(entries)) {
    actual += data.length;
    if (actual > maxBytes)
      throw new ValueError(
        `${file}: the archive decompresses to more than ${maxBytes} bytes (limit maxUncompressedBytes); refusing it.`,
      );
    out.set(name, data);
  }
  return out;
}

/** Writes `entries` (name -> bytes) as a zip archive. */
export function writeZip(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(entries, { level: 6 });
}
