/**
 * Quickstart (`pnpm start`): trains a small convnet on the bundled 8x8 digits with fit and the
 * progress bar, evaluates it, saves and reloads it, and prints a few predictions next to their
 * labels. See quickstart.ts for the steps.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runQuickstart } from './quickstart.js';

await runQuickstart({ dir: mkdtempSync(join(tmpdir(), 'cornu-quickstart-')) });
