// pogo_websocket_publish() and pogo_websocket_broadcast_multi() inside the
// real bin/frankenphp, received by real pusher-js clients.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startFrankenPHP, phpPublish, admin } from './lib/frankenphp.mjs';
import { connect, connected, subscribed, disconnectAll } from '../protocol/lib/clients.mjs';
import { once, record } from '../protocol/lib/wait.mjs';

describe('native publish in bin/frankenphp', () => {
  let fp;
  before(async () => { fp = await startFrankenPHP(); });
  afterEach(() => disconnectAll());
  after(async () => { await fp?.stop(); });

  it('runs on a ZTS libphp with the extension and at least two worker threads', async () => {
    const status = await (await fetch(`${fp.url}/status.json`)).json();
    assert.equal(status.zts, true, 'PHP must be ZTS');
    assert.equal(status.extension, true, 'extension_loaded("pogo_websocket")');
    assert.deepEqual(status.functions, [true, true]);
    const threads = JSON.parse((await admin(fp, 'GET', '/frankenphp/threads')).body);
    const workers = threads.ThreadDebugStates.filter((t) => t.Name.includes('public/worker.php'));
    assert.ok(workers.length >= 2, `expected >= 2 app worker threads, got ${workers.length}`);
    const auth = threads.ThreadDebugStates.filter((t) => t.Name.includes('auth/auth-worker.php'));
    assert.equal(auth.length, 2, 'num_workers 2 auth worker threads');
  });

  it('delivers pogo_websocket_publish() to a pusher-js subscriber', async () => {
    const p = connect(fp);
    await connected(p);
    const ch = await subscribed(p, 'native-public');
    const got = once(ch, 'greeting');
    assert.deepEqual(await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'native-public', event: 'greeting', data: '{"hello":"from php"}' }), [0]);
    assert.deepEqual(await got, { hello: 'from php' });
  });

  it('delivers pogo_websocket_broadcast_multi() to every listed channel', async () => {
    const p = connect(fp);
    await connected(p);
    const a = await subscribed(p, 'multi-a');
    const b = await subscribed(p, 'multi-b');
    const gotA = once(a, 'multi');
    const gotB = once(b, 'multi');
    const statuses = await phpPublish(fp, { fn: 'multi', app: 'pogo-app', channels: '["multi-a","multi-b"]', event: 'multi', data: '{"n":2}' });
    assert.deepEqual(statuses, [0]);
    assert.deepEqual(await gotA, { n: 2 });
    assert.deepEqual(await gotB, { n: 2 });
  });

  it('honours $exceptSocketId (toOthers)', async () => {
    const sender = connect(fp);
    const other = connect(fp);
    const senderId = await connected(sender);
    await connected(other);
    const s = await subscribed(sender, 'native-others');
    const o = await subscribed(other, 'native-others');
    const senderSaw = record(s, 'said');
    const otherGot = once(o, 'said');
    assert.deepEqual(await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'native-others', event: 'said', data: '{"x":1}', except: senderId }), [0]);
    await otherGot;
    // Barrier: events of one channel arrive in order, so once the sender has
    // the later event it would already have had the excluded one.
    const barrier = once(s, 'barrier');
    await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'native-others', event: 'barrier', data: '{}' });
    await barrier;
    assert.equal(senderSaw.items.length, 0, 'the excluded socket must not receive the event');
  });

  const long = (n) => 'x'.repeat(n);
  const cases = [
    ['1 hub missing', { fn: 'publish', app: 'no-such-app', channel: 'c', event: 'e', data: '{}' }, 1],
    ['1 hub missing (multi)', { fn: 'multi', app: 'no-such-app', channels: '["c"]', event: 'e', data: '{}' }, 1],
    ['2 channel too long', { fn: 'publish', app: 'pogo-app', channel: long(201), event: 'e', data: '{}' }, 2],
    ['2 invalid channel name', { fn: 'publish', app: 'pogo-app', channel: 'bad channel!', event: 'e', data: '{}' }, 2],
    ['2 more than 100 channels', { fn: 'multi', app: 'pogo-app', channels: JSON.stringify(Array.from({ length: 101 }, (_, i) => `c${i}`)), event: 'e', data: '{}' }, 2],
    ['3 event too long', { fn: 'publish', app: 'pogo-app', channel: 'c', event: long(201), data: '{}' }, 3],
    ['4 payload too large', { fn: 'publish', app: 'pogo-app', channel: 'c', event: 'e', data: JSON.stringify(long(10241)) }, 4],
    ['5 invalid payload JSON', { fn: 'publish', app: 'pogo-app', channel: 'c', event: 'e', data: '{"a":' }, 5],
    ['7 invalid multi-channel JSON', { fn: 'multi', app: 'pogo-app', channels: 'private-a,private-b', event: 'e', data: '{}' }, 7],
    ['7 channels not an array of strings', { fn: 'multi', app: 'pogo-app', channels: '{"a":1}', event: 'e', data: '{}' }, 7],
  ];
  for (const [name, body, want] of cases) {
    it(`returns status ${name}`, async () => {
      assert.deepEqual(await phpPublish(fp, body), [want]);
    });
  }

  it('turns bad PHP argument types into PHP errors and rejects invalid UTF-8 payloads', async () => {
    const out = await (await fetch(`${fp.url}/types`)).json();
    // null is coerced to "" (deprecated, not an error) and floats to strings
    // in coercive mode; arrays and objects are TypeErrors.
    assert.deepEqual(out, ['no error', 'TypeError', 'no error', 'TypeError', 'ArgumentCountError', 5, 0]);
  });
});
