/**
 * `fn` over every item with at most `limit` calls running at once, the answers in the items' order: many small
 * provider requests (an object read per job) go out together without opening hundreds of connections at a time.
 * Rejects with the first rejection, as Promise.all does; callers that must not fail catch inside `fn`.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
