/**
 * Atomic file writes: the bytes go to a temporary file beside the target, which is renamed over
 * the target only once completely written, so a crash mid-save leaves the previous file intact.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes `produce()`'s bytes to `path` atomically. `produce` may write in pieces through the
 * `write` callback it receives (each piece appended to the temporary file) or return the bytes.
 */
export async function atomicWrite(
  path: string,
  produce: (
    write: (chunk: Uint8Array) => Promise<void>,
  ) => Promise<Uint8Array | undefined> | Uint8Array | undefined,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const handle = await open(tmp, 'wx');
  let committed = false;
  try {
    const write = async (chunk: Uint8Array) => {
      await handle.write(chunk);
    };
    const bytes = await produce(write);
    if (bytes) await write(bytes);
    await handle.sync();
    await handle.close();
    await rename(tmp, path);
    committed = true;
  } finally {
    if (!committed) {
      await handle.close().catch(() => undefined);
      await rm(tmp, { force: true });
    }
  }
}
