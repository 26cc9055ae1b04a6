// Harness of the Pusher protocol 7 suite (test/protocol).
//
// Each *.test.mjs file calls protocolSuite(), which starts its own target
// (see lib/target.mjs for POGO_TARGET=hub|frankenphp|external), disconnects every
// client after each test and stops the server after the file, even when
// a test fails. Helpers for the real clients and the raw client are
// re-exported here so test files import one module.
//
// Run: node --test --test-concurrency=1 test/protocol/

import { describe, before, after, afterEach } from 'node:test';
import { startTarget, unavailableReason } from './lib/target.mjs';
import { disconnectAll } from './lib/clients.mjs';
import { closeAllRaw, RawClient } from './lib/raw.mjs';
import { once } from './lib/wait.mjs';

export { startTarget, DEFAULT_APP, REPO_ROOT, buildServer } from './lib/target.mjs';
export { sdk, authHandlers, connect, connected, subscribed, settleChannel, refused, signedIn, echo, disconnectAll, uniq, signedUrl, httpStatus, MASTER_KEY_B64 } from './lib/clients.mjs';
export { RawClient, wsUrl, closeAllRaw } from './lib/raw.mjs';
export { once, record, recorder, eventually, withTimeout, sleep, DEFAULT_TIMEOUT_MS } from './lib/wait.mjs';

async function cleanupClients() {
  disconnectAll();
  await closeAllRaw();
}

/**
 * Declares a describe() block backed by its own target.
 *
 * opts: {server: pogo-server flags for the hub target (an object, or an
 * async function returning one), apps: a -apps file's JSON, profile: external
 * profile name, hubOnly: true when the file must start the process itself}.
 * body(ctx) declares the tests; ctx.target is set before the first test.
 * When the selected target cannot serve the file the block is skipped.
 */
export function protocolSuite(name, opts, body) {
  const reason = unavailableReason(opts);
  describe(name, { skip: reason || false }, () => {
    const ctx = { target: null };
    before(async () => {
      // opts.server may be an async function, e.g. to pass the URL of a
      // receiver the file starts first.
      const server = typeof opts.server === 'function' ? await opts.server() : opts.server;
      ctx.target = await startTarget({ ...opts, server });
    });
    afterEach(cleanupClients);
    after(async () => {
      await cleanupClients();
      await ctx.target?.stop();
    });
    body(ctx);
  });
}

/**
 * Sends a sentinel event on channel through the HTTP API and waits until
 * the subscriber received it. Events published earlier on the same channel
 * reach a connection before it, so checking what a client recorded after
 * this barrier proves an event was NOT delivered, without sleeping.
 *
 * sub is a pusher-js channel or a RawClient subscribed to channelName.
 */
export async function barrier(api, sub, channelName = sub.name) {
  const id = Math.random().toString(36).slice(2);
  if (sub instanceof RawClient) {
    // Posted as is: the SDK would encrypt on private-encrypted- channels,
    // and a raw client cannot decrypt.
    await api.post({ path: '/events', body: { name: 'suite-barrier', data: JSON.stringify({ id }), channels: [channelName] } });
    return sub.next((m) => m.event === 'suite-barrier' && m.channel === channelName && m.data?.id === id);
  }
  const seen = once(sub, 'suite-barrier', (d) => d?.id === id);
  await api.trigger(channelName, 'suite-barrier', { id });
  return seen;
}
