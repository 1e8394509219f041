/**
 * Runs tasks with the same key one after another (different keys side by side). Two syncs of one
 * request running at once could otherwise finish out of order: the older render's `chat.update`
 * landing after the newer one leaves a message showing a step the request has left.
 */

/** Returns `serial(key, task)`: the task starts once every earlier task of that key has settled. */
export function keyedSerial(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return (key, task) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    // The last task of a key removes the entry, so idle keys cost nothing.
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
