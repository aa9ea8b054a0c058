/**
 * Runs `fn` over `items` with at most `limit` calls in flight: a new call starts as soon as one
 * settles (a pool, not fixed chunks, so one slow item does not hold the others back). Results come
 * back in the order of `items`, settled like `Promise.allSettled`; a synchronous throw in `fn`
 * becomes a rejection too.
 */
export async function mapSettledWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `mapSettledWithLimit: limit must be a positive integer. Received: limit=${limit}.`,
    );
  }
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: 'fulfilled', value: await fn(items[index] as T, index) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
