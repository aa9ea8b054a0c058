import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under `packages/nlp/test-fixtures/tokenizers`. */
export function fixture(path: string): string {
  return fileURLToPath(new URL(`../../test-fixtures/tokenizers/${path}`, import.meta.url));
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(fixture(path), 'utf8')) as T;
}

export interface TransformersJsCase {
  text: string;
  text_pair?: string;
  tokens: string[];
  ids: number[];
  decoded: string;
}

/** transformers.js reference cases of one model (ids include its default special tokens). */
export function transformersJsCases(model: string): [string, TransformersJsCase][] {
  const all = readJson<{ cases: Record<string, Record<string, TransformersJsCase>> }>(
    'reference/transformersjs_cases.json',
  );
  return Object.entries(all.cases[model] ?? {});
}

/** llama.cpp's 46 test strings with the expected ids of one vocabulary. */
export function llamaCppCases(outFile: string): [string, number[]][] {
  const inputs = readFileSync(fixture('reference/llamacpp/ggml-vocab-tests.inp'), 'utf8').split(
    '\n__ggml_vocab_test__\n',
  );
  const outputs = readFileSync(fixture(`reference/llamacpp/${outFile}`), 'utf8').split('\n');
  return inputs
    .map((text, k): [string, number[]] => [
      text,
      (outputs[k] ?? '').trim().split(/\s+/).filter(Boolean).map(Number),
    ])
    .filter(([text], k) => k < outputs.length && !(k === inputs.length - 1 && text === ''));
}

export interface SwiftCase {
  input: string;
  encoded: { input_ids: number[] };
  decoded_with_special: string;
  decoded_without_special: string;
}

export function swiftCases(model: string): SwiftCase[] {
  return (
    readJson<Record<string, SwiftCase[]>>('reference/swift-transformers/tokenizer_tests.json')[
      model
    ] ?? []
  );
}

export interface MiscCase {
  tokenizer: string;
  fixture: string;
  text?: string;
  texts?: string[];
  add_special?: boolean;
  ids: number[] | number[][];
  tokens?: string[];
  pieces?: string[];
  pieces_for_first?: string[];
  offsets?: [number, number][];
  /** Facts about the model (piece_size, ids of named pieces, pad_id). */
  facts?: Record<string, number>;
}

export function miscCases(fixturePrefix: string): MiscCase[] {
  return readJson<{ cases: MiscCase[] }>('reference/misc_cases.json').cases.filter((c) =>
    c.fixture.startsWith(fixturePrefix),
  );
}

/** Seeded generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RANGES: [number, number][] = [
  [0x20, 0x7e], // ASCII
  [0x20, 0x7e],
  [0xa0, 0x17f], // Latin-1, Latin Extended-A
  [0x300, 0x36f], // combining marks
  [0x590, 0x5ff], // Hebrew (RTL)
  [0x600, 0x6ff], // Arabic (RTL)
  [0x4e00, 0x9fff], // CJK
  [0xac00, 0xd7a3], // Hangul
  [0x1f300, 0x1faff], // emoji
  [0x2000, 0x200f], // spaces, ZWJ, direction marks
  [0x9, 0xd], // control whitespace
];

/** A random well-formed string of up to `maxLength` code points. */
export function randomUnicode(rand: () => number, maxLength: number): string {
  const n = Math.floor(rand() * maxLength);
  let s = '';
  for (let i = 0; i < n; i++) {
    const [lo, hi] = RANGES[Math.floor(rand() * RANGES.length)] as [number, number];
    s += String.fromCodePoint(lo + Math.floor(rand() * (hi - lo + 1)));
  }
  return s;
}
