import { afterEach, describe, expect, it } from 'vitest';
import { tf } from '../index.js';
import { engine, ready, resetForTests } from './backend.js';

const saved = process.env.CORNU_ENGINE;
afterEach(() => {
  if (saved === undefined) delete process.env.CORNU_ENGINE;
  else process.env.CORNU_ENGINE = saved;
  resetForTests();
});

describe('backend.ready', () => {
  it('selects wasm by default when no native engine is installed', async () => {
    delete process.env.CORNU_ENGINE;
    expect(await ready()).toBe('wasm');
    expect(engine()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('honours CORNU_ENGINE=cpu', async () => {
    process.env.CORNU_ENGINE = 'cpu';
    expect(await ready()).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('names the missing package when a forced native engine is absent', async () => {
    process.env.CORNU_ENGINE = 'node';
    await expect(ready()).rejects.toThrow(
      /CORNU_ENGINE=node: Engine 'node' needs the package @tensorflow\/tfjs-node, which is not installed\. Fix: npm install @tensorflow\/tfjs-node/,
    );
    process.env.CORNU_ENGINE = 'node-gpu';
    await expect(ready()).rejects.toThrow(/@tensorflow\/tfjs-node-gpu.*not installed/);
  });

  it('rejects an unknown engine name, listing the valid ones', async () => {
    process.env.CORNU_ENGINE = 'webgpu';
    await expect(ready()).rejects.toThrow(
      /CORNU_ENGINE must be one of 'node-gpu', 'node', 'wasm', 'cpu'\. Received: 'webgpu'\./,
    );
  });

  it('engine() before ready() explains the fix', () => {
    expect(() => engine()).toThrow(/await backend\.ready\(\) first/);
  });

  it('registers gradients and chained ops on the one tfjs-core copy', async () => {
    delete process.env.CORNU_ENGINE;
    await ready();
    const x = tf.scalar(3);
    const g = tf.grad((v: tf.Tensor) => v.square())(x);
    expect(g.dataSync()[0]).toBe(6);
    tf.dispose([x, g]);
  });
});
