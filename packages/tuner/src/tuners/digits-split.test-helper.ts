import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasets, tf } from '@cornu/core';

/** The model-tuner tests' data: 300 training and 100 validation digits, flattened to 64 in [0, 1]. */
export interface DigitsSplit {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
  xVal: tf.Tensor2D;
  yVal: tf.Tensor1D;
}

export async function loadDigitsSplit(): Promise<DigitsSplit> {
  const [[xa, ya]] = await datasets.digits.loadData();
  const [x, xVal] = tf.tidy(() => {
    const flat = tf.div(tf.reshape(xa, [-1, 64]), 16);
    return [tf.slice(flat, [0, 0], [300, 64]), tf.slice(flat, [300, 0], [100, 64])] as [
      tf.Tensor2D,
      tf.Tensor2D,
    ];
  });
  const [y, yVal] = tf.tidy(
    () =>
      [
        tf.cast(tf.slice(ya, [0], [300]), 'float32'),
        tf.cast(tf.slice(ya, [300], [100]), 'float32'),
      ] as [tf.Tensor1D, tf.Tensor1D],
  );
  tf.dispose([xa, ya]);
  return { x, y, xVal, yVal };
}

/** Temporary project folders for a test file: `make()` one, `removeAll()` in afterAll. */
export function temporaryDirs(prefix: string): { make: () => string; removeAll: () => void } {
  const dirs: string[] = [];
  return {
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    removeAll: () => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
