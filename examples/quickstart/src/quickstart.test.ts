/** A quick run of the quickstart: it trains, evaluates, saves, reloads and predicts. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runQuickstart } from './quickstart.js';

const dir = mkdtempSync(join(tmpdir(), 'cornu-quickstart-test-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(existsSync(dir)).toBe(false);
});

it('trains the digits convnet, saves, reloads and predicts', { timeout: 120_000 }, async () => {
  const lines: string[] = [];
  const result = await runQuickstart({
    dir,
    epochs: 4,
    verbose: 0,
    log: (line) => void lines.push(line),
  });
  expect(result.epochsRun).toBe(4);
  // Four epochs already put the convnet well past 0.9 on the held-out digits.
  expect(result.testAccuracy).toBeGreaterThan(0.93);
  expect(result.testLoss).toBeLessThan(0.3);
  // The reloaded model predicts what the trained one did, and mostly the right digit.
  expect(result.reloadDifference).toBeLessThan(1e-6);
  const right = result.predicted.filter((p, i) => p === result.labels[i]).length;
  expect(right).toBeGreaterThanOrEqual(10);
  expect(readdirSync(dir)).toEqual(['digits_convnet.keras']);
  const text = lines.join('\n');
  expect(text).toContain('Model: "digits_convnet"');
  expect(text).toMatch(/test loss [\d.]+, test accuracy [\d.]+/);
  expect(text).toContain(`labels:    ${result.labels.join(' ')}`);
});
