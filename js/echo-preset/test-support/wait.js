/**
 * Test helpers for waiting on asynchronous client callbacks. Timeouts are
 * generous upper bounds for a loaded machine, never performance assertions.
 */

/** Upper bound for any single wait in the real-server tests. */
export const WAIT_MS = 20_000;

/**
 * A promise plus the function that settles it, rejecting with `what` in the
 * message if nothing arrives within ms.
 *
 * @template T
 * @param {string} what
 * @param {number} [ms]
 * @returns {{ promise: Promise<T>, resolve: (value: T) => void, reject: (err: Error) => void }}
 */
export function deferred(what, ms = WAIT_MS) {
  let resolve;
  let reject;
  let timer;
  const promise = new Promise((done, fail) => {
    resolve = (value) => {
      clearTimeout(timer);
      done(value);
    };
    reject = (err) => {
      clearTimeout(timer);
      fail(err);
    };
    timer = setTimeout(() => fail(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return { promise, resolve, reject };
}

/**
 * Polls check every 20 ms until it returns a truthy value, which is returned.
 *
 * @template T
 * @param {string} what
 * @param {() => T} check
 * @param {number} [ms]
 * @returns {Promise<T>}
 */
export async function waitFor(what, check, ms = WAIT_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}
