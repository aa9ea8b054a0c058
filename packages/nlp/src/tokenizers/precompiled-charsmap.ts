import { ValueError } from '@cornu/core';

/**
 * SentencePiece's precompiled normalization map: a darts-clone double-array trie over UTF-8
 * byte sequences whose values index NUL-terminated replacement strings.
 *
 * Blob layout: uint32 little-endian trie size in bytes, the trie units (uint32 each), then the
 * replacement strings.
 */
export class PrecompiledCharsmap {
  private readonly units: Uint32Array;
  private readonly strings: Uint8Array;
  private readonly decoded = new Map<number, string>();
  private readonly cache = new Map<string, { length: number; replacement: string } | null>();

  constructor(blob: Uint8Array) {
    if (blob.length < 4)
      throw new ValueError(
        `PrecompiledCharsmap: expected at least 4 bytes, received ${blob.length}.`,
      );
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieSize = view.getUint32(0, true);
    if (trieSize % 4 !== 0 || 4 + trieSize > blob.length) {
      throw new ValueError(
        `PrecompiledCharsmap: trie size ${trieSize} does not fit a blob of ${blob.length} bytes; expected a multiple of 4 within it.`,
      );
    }
    this.units = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = view.getUint32(4 + 4 * i, true);
    this.strings = blob.subarray(4 + trieSize);
  }

  /** Replacement string at `offset` in the string table. */
  private stringAt(offset: number): string {
    let s = this.decoded.get(offset);
    if (s === undefined) {
      let end = offset;
      while (end < this.strings.length && this.strings[end] !== 0) end++;
      s = new TextDecoder().decode(this.strings.subarray(offset, end));
      this.decoded.set(offset, s);
    }
    return s;
  }

  /**
   * Longest rule matching a prefix of `text` from `start` (whole code points only):
   * the number of UTF-16 units it consumes and its replacement, or null.
   */
  longestMatch(text: string, start: number): { length: number; replacement: string } | null {
    const units = this.units;
    let node = 0;
    const root = units[0];
    if (root === undefined) return null;
    node ^= offsetOf(root);
    let best: { length: number; replacement: string } | null = null;
    let i = start;
    const buf = new Uint8Array(4);
    while (i < text.length) {
      const cp = text.codePointAt(i) as number;
      const width = cp > 0xffff ? 2 : 1;
      const n = encodeCodePoint(cp, buf);
      for (let k = 0; k < n; k++) {
        const byte = buf[k] as number;
        node ^= byte;
        const unit = units[node];
        if (unit === undefined || labelOf(unit) !== byte) return best;
        node ^= offsetOf(unit);
        if (k === n - 1 && hasLeaf(unit)) {
          const leaf = units[node] as number;
          best = { length: i + width - start, replacement: this.stringAt(leaf & 0x7fffffff) };
        }
      }
      i += width;
    }
    return best;
  }

  /**
   * The shortest rule matching a prefix of `chunk` (what Hugging Face's `Precompiled` normalizer
   * applies per grapheme): its replacement, or null.
   */
  firstMatch(chunk: string): { length: number; replacement: string } | null {
    const hit = this.cache.get(chunk);
    if (hit !== undefined) return hit;
    const units = this.units;
    const root = units[0];
    let result: { length: number; replacement: string } | null = null;
    if (root !== undefined) {
      let node = offsetOf(root);
      const bytes = new TextEncoder().encode(chunk);
      for (let k = 0; k < bytes.length; k++) {
        const byte = bytes[k] as number;
        node ^= byte;
        const unit = units[node];
        if (unit === undefined || labelOf(unit) !== byte) break;
        node ^= offsetOf(unit);
        if (hasLeaf(unit)) {
          result = {
            length: k + 1,
            replacement: this.stringAt((units[node] as number) & 0x7fffffff),
          };
          break;
        }
      }
    }
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(chunk, result);
    return result;
  }
}

function offsetOf(unit: number): number {
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}
function labelOf(unit: number): number {
  return (unit & ((1 << 31) | 0xff)) >>> 0;
}
function hasLeaf(unit: number): boolean {
  return ((unit >>> 8) & 1) === 1;
}

/** UTF-8 bytes of a code point into `buf`; lone surrogates encode as U+FFFD. */
function encodeCodePoint(cp: number, buf: Uint8Array): number {
  let c = cp;
  if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
  if (c < 0x80) {
    buf[0] = c;
    return 1;
  }
  if (c < 0x800) {
    buf[0] = 0xc0 | (c >> 6);
    buf[1] = 0x80 | (c & 0x3f);
    return 2;
  }
  if (c < 0x10000) {
    buf[0] = 0xe0 | (c >> 12);
    buf[1] = 0x80 | ((c >> 6) & 0x3f);
    buf[2] = 0x80 | (c & 0x3f);
    return 3;
  }
  buf[0] = 0xf0 | (c >> 18);
  buf[1] = 0x80 | ((c >> 12) & 0x3f);
  buf[2] = 0x80 | ((c >> 6) & 0x3f);
  buf[3] = 0x80 | (c & 0x3f);
  return 4;
}
