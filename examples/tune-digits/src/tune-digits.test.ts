/** A small run of the example: Hyperband with maxEpochs 3 instead of 9. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BATCH_SIZES, runTuneDigits } from './tune-digits.js';

const dir = mkdtempSync(join(tmpdir(), 'cornu-tune-digits-test-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(existsSync(dir)).toBe(false);
});

it('tunes the digits MLP with Hyperband and rebuilds the best model', {
  timeout: 60_000,
}, async () => {
  const lines: string[] = [];
  const result = await runTuneDigits({
    directory: dir,
    maxEpochs: 3,
    factor: 3,
    log: (line) => void lines.push(line),
  });
  // Hyperband with maxEpochs 3, factor 3 (Li et al.): bracket 1 runs 3 trials for 1 epoch and
  // continues the best for 3; bracket 0 runs 2 trials for 3 epochs.
  expect(result.trials).toBe(6);
  expect(result.completed).toBe(6);
  expect(result.tensorsAfterSearch).toBe(result.tensorsBeforeSearch);
  const best = result.bestHyperparameters;
  expect([32, 64, 96, 128, 160, 192, 224, 256]).toContain(best.units);
  expect([0, 0.1, 0.2, 0.3, 0.4, 0.5].some((d) => Math.abs(d - Number(best.dropout)) < 1e-9)).toBe(
    true,
  );
  expect(best.learning_rate).toBeGreaterThanOrEqual(1e-4);
  expect(best.learning_rate).toBeLessThanOrEqual(3e-2);
  expect(BATCH_SIZES).toContain(best.batch_size);
  // The rebuilt model carries its best epoch's weights: it scores what the trial reported.
  expect(result.bestModelValAccuracy).toBeCloseTo(result.bestValAccuracy, 5);
  // A few epochs of the best MLP already classify most held-out digits.
  expect(result.bestValAccuracy).toBeGreaterThan(0.85);
  expect(result.testAccuracy).toBeGreaterThan(0.85);
  const text = lines.join('\n');
  expect(text).toContain('Default search space size: 3');
  expect(text).toContain('Results summary');
  expect(text).toContain('Showing 3 best trials');
  expect(text).toContain(`batch_size: ${best.batch_size}`);
  expect(text).toMatch(/best model: test accuracy 0\.\d{4}/);
  expect(readdirSync(join(dir, 'tune-digits'))).toContain('oracle.json');
});
