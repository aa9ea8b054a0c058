import { ValueError } from '../errors/errors.js';

export interface TarEntry {
  /** Path inside the archive, '/'-separated. */
  name: string;
  type: 'file' | 'directory' | 'other';
  data: Uint8Array;
}

const decoder = new TextDecoder('utf-8');
const field = (block: Uint8Array, start: number, length: number): string => {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return decoder.decode(end < 0 ? raw : raw.subarray(0, end));
};
const octal = (block: Uint8Array, start: number, length: number): number => {
  const text = field(block, start, length).trim();
  return text ? Number.parseInt(text, 8) : 0;
};

/**
 * Reads an uncompressed tar archive (POSIX ustar, GNU long names, pax `path` records): the small
 * subset needed for dataset archives. Written by hand: a tar header is 512 bytes of fixed fields.
 */
export function parseTar(bytes: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= bytes.length) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    let checksum = 0;
    for (let i = 0; i < 512; i++) checksum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (checksum !== octal(header, 148, 8)) {
      throw new ValueError(
        `tar: bad header checksum at byte ${offset}; the archive is corrupt or not a tar file.`,
      );
    }
    const size = octal(header, 124, 12);
    const typeflag = String.fromCharCode(header[156]!);
    const data = bytes.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (typeflag === 'L') {
      longName = field(data, 0, data.length);
      continue;
    }
    if (typeflag === 'x') {
      const path = /\d+ path=([^\n]*)\n/.exec(decoder.decode(data))?.[1];
      if (path) longName = path;
      continue;
    }
    if (typeflag === 'g') continue;
    const prefix = field(header, 257, 6).startsWith('ustar') ? field(header, 345, 155) : '';
    const name =
      longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    longName = undefined;
    const type =
      typeflag === '0' || typeflag === '\0' || typeflag === '7'
        ? 'file'
        : typeflag === '5'
          ? 'directory'
          : 'other';
    entries.push({ name, type, data });
  }
  return entries;
}
