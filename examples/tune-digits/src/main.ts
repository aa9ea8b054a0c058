/**
 * Tune an MLP on scikit-learn's 8x8 digits (bundled with @cornu/core, nothing is downloaded) with
 * Hyperband: hidden units, dropout, the learning rate and the batch size are hyperparameters.
 * Prints the search space, the best trials and the best model's test accuracy. The search state
 * goes to ./runs/tune-digits (restarted on every run). See tune-digits.ts for the steps.
 *
 * Run: `pnpm --filter @cornu/example-tune-digits start` (after `pnpm build`).
 */
import { runTuneDigits } from './tune-digits.js';

await runTuneDigits({ directory: 'runs' });
