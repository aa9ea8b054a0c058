import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../errors/errors.js';
import { fixture } from './fixture-helpers.test-helper.js';
import { readZip, writeZip } from './zip-archive.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** Offset of the first occurrence of `needle` in `haystack`. */
function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('readZip', () => {
  it('reads back what writeZip wrote, with UTF-8 names', () => {
    const entries = { 'config.json': enc('{"a": 1}'), 'wëights/ß.bin': new Uint8Array([1, 2, 3]) };
    const out = readZip(writeZip(entries), 'x.keras');
    expect([...out.keys()].sort()).toEqual(['config.json', 'wëights/ß.bin']);
    expect(new TextDecoder().decode(out.get('config.json'))).toBe('{"a": 1}');
    expect(Array.from(out.get('wëights/ß.bin') ?? [])).toEqual([1, 2, 3]);
  });

  it('reads an archive written by Python zipfile (a Keras 3 .keras fixture)', () => {
    const out = readZip(readFileSync(fixture('keras3', 'sequential_mlp.keras')), 'mlp.keras');
    expect([...out.keys()].sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
  });

  it('refuses a stored entry with one flipped byte, naming the entry and both CRCs', () => {
    // Level 0 stores bytes as they are, so nothing but the CRC can notice the damage.
    const payload = enc('{"units": 16, "activation": "relu"}');
    const bytes = zipSync({ 'config.json': payload }, { level: 0 });
    const at = indexOf(bytes, payload);
    expect(at).toBeGreaterThan(0);
    bytes[at + 11] = (bytes[at + 11] as number) ^ 0x01; // "16" -> "06": valid JSON, wrong value
    const error = (() => {
      try {
        readZip(bytes, '/models/flipped.keras');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValueError);
    expect((error as Error).message).toMatch(
      /^\/models\/flipped\.keras: entry 'config\.json' is corrupted \(CRC-32 expected 0x[0-9a-f]{8}, received 0x[0-9a-f]{8}\)\.$/,
    );
  });

  it('refuses an archive whose end of central directory record is gone', () => {
    const bytes = zipSync({ 'a.txt': enc('hello') }, { level: 0 });
    expect(() => readZip(bytes.subarray(0, bytes.length - 22), 'cut.keras')).toThrow(
      /cut\.keras: the zip archive is truncated or corrupted/,
    );
  });
});
