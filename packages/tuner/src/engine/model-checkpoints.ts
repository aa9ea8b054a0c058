import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Model, tf } from '@cornu/core';
import { writeFileAtomic } from './io.js';
import { decodeWeights, encodeWeights } from './weights-file.js';

/** Path of a trial's best-epoch checkpoint under a project folder. */
export function checkpointPathIn(projectDir: string, trialId: string): string {
  return join(projectDir, `trial_${trialId}`, 'checkpoint.weights');
}

/** Writes `model`'s weights to `path` (atomically), or hands the bytes to `keep` without a path. */
export function saveModelCheckpoint(
  model: Model,
  path: string | undefined,
  keep?: (bytes: Uint8Array) => void,
): void {
  const weights = model.getWeights();
  try {
    const bytes = encodeWeights(weights);
    if (path) writeFileAtomic(path, bytes);
    else keep?.(bytes);
  } finally {
    tf.dispose(weights);
  }
}

/** Sets `model`'s weights from checkpoint bytes. */
export function setModelCheckpoint(model: Model, bytes: Uint8Array, source: string): void {
  const weights = decodeWeights(bytes, source);
  try {
    model.setWeights(weights);
  } finally {
    tf.dispose(weights);
  }
}

/** The checkpoint bytes at `path`, or undefined when there are none. */
export function readCheckpointFile(path: string): Uint8Array | undefined {
  return existsSync(path) ? readFileSync(path) : undefined;
}
