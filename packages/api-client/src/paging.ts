/** One page of a list operation: every list of the API answers `{ data, next_page_token }`. */
export interface Page<T> {
  data: T[];
  next_page_token?: string | null;
}

/**
 * Every item of a paged list, fetching the next page (`page_token` = the previous page's
 * `next_page_token`) only when the caller has consumed the current one. Stops on a null or
 * absent `next_page_token`, and refuses a token that repeats (a server bug would loop forever).
 */
export async function* allPages<T>(fetchPage: (pageToken: string | undefined) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
  let pageToken: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(pageToken);
    yield* page.data;
    const next = page.next_page_token ?? undefined;
    if (next === undefined || next === '') return;
    if (seen.has(next)) throw new Error(`the server returned the page token ${JSON.stringify(next)} twice`);
    seen.add(next);
    pageToken = next;
  }
}

/** Collects an async iterable into an array (`limit` stops early). */
export async function collect<T>(items: AsyncIterable<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  if (limit <= 0) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
