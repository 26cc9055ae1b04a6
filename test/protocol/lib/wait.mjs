// Waiting helpers for the protocol suite.
//
// Every wait has a generous deadline (DEFAULT_TIMEOUT_MS, 10 s) so that a
// loaded two-core machine does not produce false failures. Nothing here
// measures durations: tests assert what happened, never how fast.

/** Default deadline for any wait, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Error thrown when a wait reaches its deadline. */
export class WaitTimeoutError extends Error {
  constructor(what, ms) {
    super(`timed out after ${ms} ms waiting for ${what}`);
    this.name = 'WaitTimeoutError';
  }
}

/**
 * Races promise against a deadline. The timer is cleared either way, so a
 * finished test never keeps the event loop alive.
 */
export function withTimeout(promise, what, ms = DEFAULT_TIMEOUT_MS) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new WaitTimeoutError(what, ms)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Resolves with the first payload of eventName on a pusher-js style
 * emitter (anything with bind/unbind), optionally filtered by predicate.
 */
export function once(emitter, eventName, predicate = () => true, ms = DEFAULT_TIMEOUT_MS) {
  let handler;
  const p = new Promise((resolve) => {
    handler = (data, meta) => {
      if (predicate(data, meta)) resolve(data);
    };
    emitter.bind(eventName, handler);
  });
  return withTimeout(p, `event ${eventName}`, ms).finally(() => emitter.unbind(eventName, handler));
}

/**
 * Records every payload of eventName on a pusher-js style emitter.
 * The returned list has waitFor(predicate) and count(n) helpers.
 */
export function record(emitter, eventName) {
  const items = [];
  const waiters = new Set();
  const handler = (data, meta) => {
    items.push(data);
    for (const w of waiters) w.check();
  };
  emitter.bind(eventName, handler);
  return recorder(items, waiters, `event ${eventName}`, () => emitter.unbind(eventName, handler));
}

/**
 * Builds a recorder over a shared items array. The producer calls check()
 * on every waiter whenever an item arrives, and may call fail(err) when no
 * item can arrive any more (e.g. the connection closed).
 */
export function recorder(items, waiters, what, stop = () => {}) {
  const waitFor = (predicate, ms = DEFAULT_TIMEOUT_MS, label = what) => {
    const at = items.findIndex(predicate);
    if (at >= 0) return Promise.resolve(items[at]);
    let w;
    const p = new Promise((resolve, reject) => {
      w = {
        check() {
          const i = items.findIndex(predicate);
          if (i >= 0) resolve(items[i]);
        },
        fail(err) {
          reject(new Error(`${err.message} while waiting for ${label}`));
        },
      };
      waiters.add(w);
    });
    return withTimeout(p, label, ms).finally(() => waiters.delete(w));
  };
  return {
    items,
    stop,
    waitFor,
    /** Resolves once at least n items were recorded. */
    count: (n, ms) => waitFor((_, i) => i === n - 1, ms, `${n} x ${what}`).then(() => items),
  };
}

/**
 * Polls fn (sync or async) until it returns a truthy value and resolves
 * with it. Used for state that has no event, e.g. HTTP API queries.
 */
export async function eventually(fn, what = 'condition', ms = DEFAULT_TIMEOUT_MS, everyMs = 50) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      const suffix = last ? `: last error ${last.message}` : '';
      throw new WaitTimeoutError(`${what}${suffix}`, ms);
    }
    await sleep(everyMs);
  }
}

/** Resolves after ms milliseconds. */
export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
