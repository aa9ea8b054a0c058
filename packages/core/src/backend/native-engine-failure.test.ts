/**
 * A native engine whose package is installed but whose libtensorflow cannot be loaded: simulated by
 * mocking @tensorflow/tfjs-node with the error Node's loader raises for a missing shared library.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engine, ready, resetForTests } from './backend.js';

vi.mock('@tensorflow/tfjs-node', () => {
  const error = new Error(
    'libtensorflow.so.2: cannot open shared object file: No such file or directory',
  ) as Error & { code: string };
  error.code = 'ERR_DLOPEN_FAILED';
  throw error;
});

const saved = process.env.CORNU_ENGINE;
const savedQuiet = process.env.CORNU_QUIET;
// Test files share module state (isolate: false): another file may have selected an engine already.
beforeEach(() => resetForTests());
afterEach(() => {
  if (saved === undefined) delete process.env.CORNU_ENGINE;
  else process.env.CORNU_ENGINE = saved;
  if (savedQuiet === undefined) delete process.env.CORNU_QUIET;
  else process.env.CORNU_QUIET = savedQuiet;
  vi.restoreAllMocks();
  resetForTests();
});

describe('a native engine that fails to load', () => {
  it('forced with CORNU_ENGINE, names the failed native library and the fix', async () => {
    process.env.CORNU_ENGINE = 'node';
    await expect(ready()).rejects.toThrow(
      /CORNU_ENGINE=node: Engine 'node': @tensorflow\/tfjs-node is installed but its native library failed to load \(.*libtensorflow\.so\.2: cannot open shared object file.*\)\. Fix: reinstall it \(npm rebuild @tensorflow\/tfjs-node\) or choose another engine with CORNU_ENGINE=wasm\./,
    );
  });

  it('falls back to wasm with one short notice, printed once', async () => {
    delete process.env.CORNU_ENGINE;
    delete process.env.CORNU_QUIET;
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    expect(await ready()).toBe('wasm');
    expect(await ready()).toBe('wasm');
    expect(engine()).toBe('wasm');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^cornu: node \(.*libtensorflow\.so\.2.*\) failed to load; running on the 'wasm' engine\. Set CORNU_ENGINE to choose one explicitly\.\n$/,
    );
    expect(lines[0]!.split('\n')).toHaveLength(2);
  });
});
