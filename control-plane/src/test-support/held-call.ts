// Test helper: one call a double keeps waiting until the test lets it through, so a test can look
// at the world while the control plane is in the middle of a step (e.g. the grant still live while
// its expiry's deescalate call is in flight) without racing a timer.

/** A call held by a double: resolved `arrived` once the call came in; `release` lets it through. */
export interface HeldCall {
  arrived: Promise<void>;
  release(): void;
}

/** A pending hold: matches calls with `matches`, lets the first `skip` matching ones pass. */
export interface CallHold<T> extends HeldCall {
  matches(call: T): boolean;
  /** Called for each incoming call; resolves when the call may proceed (at once when it does not match). */
  gate(call: T): Promise<void>;
}

/** A hold on the first call matching `matches` after `skip` matching ones passed. */
export function createCallHold<T>(matches: (call: T) => boolean, skip = 0): CallHold<T> {
  let arrive!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let left = skip;
  let used = false;
  return {
    arrived,
    release,
    matches,
    async gate(call) {
      if (used || !matches(call)) return;
      if (left > 0) {
        left -= 1;
        return;
      }
      used = true;
      arrive();
      await released;
    },
  };
}
