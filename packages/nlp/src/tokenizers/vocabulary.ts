import { readFile } from 'node:fs/promises';
import { ValueError } from '@cornu/core';

/** Reads a text file as UTF-8 (a path, or a URL object). */
export async function readText(path: string | URL): Promise<string> {
  return readFile(path, 'utf8');
}

/** Lines of a one-token-per-line vocabulary file, trailing newline and `\r` removed. */
export function vocabularyLines(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Builds token -> id, rejecting duplicates so that ids stay unambiguous. */
export function indexVocabulary(owner: string, tokens: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  tokens.forEach((t, i) => {
    if (typeof t !== 'string') {
      throw new ValueError(
        `${owner}: vocabulary entry ${i} must be a string, received ${typeof t}.`,
      );
    }
    if (!map.has(t)) map.set(t, i);
  });
  return map;
}

/** Error for an id outside `[0, size)`. */
export function idError(owner: string, id: number, size: number): ValueError {
  return new ValueError(
    `${owner}.idToToken: id ${id} is out of range; expected an integer in [0, ${size}).`,
  );
}

/** Error for a token missing from the vocabulary. */
export function tokenError(owner: string, token: string): ValueError {
  return new ValueError(
    `${owner}.tokenToId: token ${JSON.stringify(token)} is not in the vocabulary.`,
  );
}
