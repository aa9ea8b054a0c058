import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { tf } from '@cornu/core';
import { afterAll, describe, expect, it } from 'vitest';
import { EPOCHS, loadData, logger, makeTuner } from '../../test-fixtures/model-resume-search.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('Tuner: resume after SIGKILL', () => {
  it('continues the interrupted trial from its last epoch backup and repeats no finished trial', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'cornu-tuner-'));
    dirs.push(directory);
    const log = join(directory, 'log.txt');
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
    const script = new URL('../../test-fixtures/model-resume-search.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', tsx, script, directory, log], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const trialFile = join(directory, 'model_resume', 'trial_01', 'trial.json');
    const deadline = Date.now() + 25_000;
    const reported = (): number =>
      existsSync(trialFile)
        ? ((JSON.parse(readFileSync(trialFile, 'utf8')).metrics.loss ?? []) as unknown[]).length
        : 0;
    while (Date.now() < deadline && reported() < 2) await sleep(10);
    child.kill('SIGKILL');
    await exited;
    const epochsBefore = reported();
    expect(epochsBefore).toBeGreaterThanOrEqual(2);
    expect(epochsBefore).toBeLessThan(EPOCHS);
    const linesBefore = readFileSync(log, 'utf8').trim().split('\n').length;

    const [x, y] = (await loadData()) as [tf.Tensor, tf.Tensor];
    const tuner = makeTuner(directory);
    expect(tuner.oracle.getTrial('00').status).toBe('COMPLETED');
    expect(tuner.oracle.getTrial('01').status).toBe('RUNNING');
    await tuner.search(x, y, { epochs: EPOCHS, batchSize: 100, callbacks: [logger(log, 0)] });
    x.dispose();
    y.dispose();

    const after = readFileSync(log, 'utf8').trim().split('\n').slice(linesBefore);
    // trial 01 resumes at the epoch after its last backup, then trial 02 runs from 0; trial 00 is not rerun
    expect(after[0]).toBe('train');
    const resumedAt = Number(after[1]!.split(' ')[1]);
    expect(resumedAt).toBeGreaterThanOrEqual(epochsBefore - 1);
    expect(resumedAt).toBeGreaterThan(0);
    expect(after.filter((l) => l === 'train')).toHaveLength(2);
    const trials = [...tuner.oracle.trials.values()];
    expect(trials.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    for (const trial of trials) {
      expect(trial.metrics.loss!.map((o) => o.step)).toEqual([0, 1, 2, 3, 4, 5]);
    }
    expect(existsSync(join(directory, 'model_resume', 'trial_01', 'backup_0', 'latest.ckpt'))).toBe(
      false,
    );
  }, 30_000);
});
