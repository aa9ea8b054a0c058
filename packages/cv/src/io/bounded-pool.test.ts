import { describe, expect, it } from 'vitest';
import { mapSettledWithLimit } from './bounded-pool.js';

/** Lets every pending promise callback run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tasks whose completion the test controls, recording starts and the most in flight. */
function controlledTasks() {
  const started: number[] = [];
  const finish = new Map<number, { resolve: (v: number) => void; reject: (e: Error) => void }>();
  let active = 0;
  let maxActive = 0;
  const fn = (item: number) =>
    new Promise<number>((resolve, reject) => {
      started.push(item);
      active++;
      maxActive = Math.max(maxActive, active);
      finish.set(item, {
        resolve: (v) => {
          active--;
          resolve(v);
        },
        reject: (e) => {
          active--;
          reject(e);
        },
      });
    });
  return { fn, started, finish, maxActive: () => maxActive };
}

describe('mapSettledWithLimit', () => {
  it('keeps at most `limit` calls in flight and starts the next as soon as one settles', async () => {
    const tasks = controlledTasks();
    const done = mapSettledWithLimit([0, 1, 2, 3, 4], 2, tasks.fn);
    await flush();
    expect(tasks.started).toEqual([0, 1]);
    // item 1 finishing frees a slot while item 0 is still running: 2 starts (no chunk barrier)
    tasks.finish.get(1)?.resolve(10);
    await flush();
    expect(tasks.started).toEqual([0, 1, 2]);
    tasks.finish.get(2)?.reject(new Error('bad file'));
    await flush();
    expect(tasks.started).toEqual([0, 1, 2, 3]);
    tasks.finish.get(0)?.resolve(0);
    await flush();
    tasks.finish.get(3)?.resolve(30);
    await flush();
    tasks.finish.get(4)?.resolve(40);
    const results = await done;
    expect(tasks.maxActive()).toBe(2);
    // in item order, whatever the completion order; the rejection is settled, not thrown
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).toEqual([
      0,
      10,
      'rejected',
      30,
      40,
    ]);
  });

  it('runs everything at once when the limit exceeds the items, and settles sync throws', async () => {
    const tasks = controlledTasks();
    const done = mapSettledWithLimit([0, 1, 2], 8, tasks.fn);
    await flush();
    expect(tasks.started).toEqual([0, 1, 2]);
    for (const i of [2, 0, 1]) tasks.finish.get(i)?.resolve(i);
    expect((await done).map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const thrown = await mapSettledWithLimit([1], 1, () => {
      throw new Error('sync');
    });
    expect(thrown[0]?.status).toBe('rejected');
    expect(await mapSettledWithLimit([], 3, tasks.fn)).toEqual([]);
    await expect(mapSettledWithLimit([1], 0, tasks.fn)).rejects.toThrow(
      /limit must be a positive integer. Received: limit=0/,
    );
  });
});
