/**
 * Zip archives through fflate, read defensively: entries are only ever read into memory (never
 * extracted to disk), and unsafe names, corrupt data and archives that would decompress past a size
 * limit are refused with an error naming the file.
 */
import { crc32 } from 'node:zlib';
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
  const expectedCrcs = centralDirectoryCrcs(bytes, file);
  const out = new Map<string, Uint8Array>();
  let actual = 0;
  for (const [name, data] of Object.entries(entries)) {
    actual += data.length;
    if (actual > maxBytes)
      throw new ValueError(
        `${file}: the archive decompresses to more than ${maxBytes} bytes (limit maxUncompressedBytes); refusing it.`,
      );
    const expected = expectedCrcs.get(name);
    const received = crc32(data) >>> 0;
    if (expected !== undefined && expected !== received) {
      throw new ValueError(
        `${file}: entry '${name}' is corrupted (CRC-32 expected ${hex(expected)}, received ${hex(received)}).`,
      );
    }
    out.set(name, data);
  }
  return out;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/**
 * Entry name -> CRC-32 from the zip's central directory. Written by hand because fflate neither
 * checks CRCs nor exposes them, and a flipped byte in a stored (uncompressed) entry would otherwise
 * load as silently wrong weights. Handles zip64 end records; anything unreadable was already
 * refused by fflate above, so a malformed directory here yields an error, never a guess.
 */
function centralDirectoryCrcs(bytes: Uint8Array, file: string): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = (what: string) =>
    new ValueError(`${file}: the zip archive is truncated or corrupted (${what}).`);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end of central directory record');
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((offset === 0xffffffff || count === 0xffff) && eocd >= 20) {
    const locator = eocd - 20;
    if (view.getUint32(locator, true) === 0x07064b50) {
      const zip64 = Number(view.getBigUint64(locator + 8, true));
      if (zip64 + 56 > bytes.length || view.getUint32(zip64, true) !== 0x06064b50)
        throw corrupt('bad zip64 end of central directory record');
      count = Number(view.getBigUint64(zip64 + 32, true));
      offset = Number(view.getBigUint64(zip64 + 48, true));
    }
  }
  const crcs = new Map<string, number>();
  const utf8 = new TextDecoder('utf-8');
  const latin1 = new TextDecoder('latin1');
  for (let k = 0; k < count; k++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== 0x02014b50)
      throw corrupt(`bad central directory entry ${k}`);
    const flags = view.getUint16(offset + 8, true);
    const crc = view.getUint32(offset + 16, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const nameBytes = bytes.subarray(offset + 46, offset + 46 + nameLength);
    // Bit 11 marks a UTF-8 name; otherwise the name is CP437, which fflate reads as latin1 too.
    crcs.set((flags & 0x800 ? utf8 : latin1).decode(nameBytes), crc);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return crcs;
}

/** Writes `entries` (name -> bytes) as a zip archive. */
export function writeZip(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(entries, { level: 6 });
}
