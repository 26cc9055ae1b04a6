// Echo + pusher-js configured by the preset, against the real Go server
// (go/hub/cmd/pogo-server, built on the fly or taken from POGO_SERVER_BIN),
// with the auth routes served by test-support/auth.js and events published
// through the HTTP API with the `pusher` server SDK.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';

import Echo from 'laravel-echo';
import PusherServer from 'pusher';
import Pusher from 'pusher-js';

import { createPogoEcho, POGO_AUTH_ENDPOINT, POGO_USER_AUTH_ENDPOINT } from '../src/index.js';
import { startAuthServer } from '../test-support/auth.js';
import { startPogoServer } from '../test-support/server.js';
import { deferred, waitFor } from '../test-support/wait.js';

const APP = { appId: 'echo-preset-app', key: 'echo-preset-key', secret: 'echo-preset-secret-0123456789abcdef' };
const USERS = { alice: { id: '1', name: 'Alice' }, bob: { id: '2', name: 'Bob' } };

describe('Echo configured by the preset against pogo-server', { timeout: 900_000 }, () => {
  let server;
  let auth;
  let sdk;
  const clients = [];

  before(async () => {
    server = await startPogoServer(APP);
    sdk = new PusherServer({ ...APP, host: server.host, port: String(server.port), useTLS: false });
    auth = await startAuthServer({ sdk, users: USERS });
  });

  afterEach(() => {
    for (const echo of clients.splice(0)) echo.disconnect();
  });

  after(async () => {
    for (const echo of clients.splice(0)) echo.disconnect();
    await auth?.stop();
    await server?.stop();
  });

  /** An Echo client for `user`, configured from VITE_POGO_* strings like a Vite app. */
  function connect(user) {
    const echo = createPogoEcho({
      Echo,
      Pusher,
      env: { VITE_POGO_APP_KEY: APP.key, VITE_POGO_HOST: server.host, VITE_POGO_PORT: String(server.port) },
      authEndpoint: auth.url + POGO_AUTH_ENDPOINT,
      auth: { headers: { 'X-Test-User': user } },
      userAuthentication: { endpoint: auth.url + POGO_USER_AUTH_ENDPOINT, headers: { 'X-Test-User': user } },
    });
    clients.push(echo);
    return echo;
  }

  it('receives a private event published through the HTTP API', async () => {
    const echo = connect('alice');
    const subscribed = deferred('subscription to private-orders.1');
    const received = deferred('App\\Events\\OrderShipped on private-orders.1');
    echo
      .private('orders.1')
      .subscribed(() => subscribed.resolve())
      .error((status) => subscribed.reject(new Error(`subscription failed: ${JSON.stringify(status)}`)))
      .listen('OrderShipped', (payload) => received.resolve(payload));
    await subscribed.promise;

    await sdk.trigger('private-orders.1', 'App\\Events\\OrderShipped', { id: 7, carrier: 'pogo' });
    assert.deepEqual(await received.promise, { id: 7, carrier: 'pogo' });

    const request = auth.requests.find((r) => r.form.channel_name === 'private-orders.1');
    assert.equal(request.path, POGO_AUTH_ENDPOINT);
    assert.equal(request.headers['x-test-user'], 'alice', 'override headers reach the auth endpoint');
    assert.equal(request.form.socket_id, echo.socketId());
    assert.match(echo.socketId(), /^\d+\.\d+$/);
  });

  it('joins a presence channel: here, joining and leaving', async () => {
    const alice = connect('alice');
    const aliceHere = deferred('alice here');
    const bobJoined = deferred('bob joining');
    const bobLeft = deferred('bob leaving');
    alice
      .join('room.1')
      .here((members) => aliceHere.resolve(members))
      .joining((member) => bobJoined.resolve(member))
      .leaving((member) => bobLeft.resolve(member))
      .error((status) => aliceHere.reject(new Error(`alice join failed: ${JSON.stringify(status)}`)));
    assert.deepEqual(await aliceHere.promise, [{ name: 'Alice' }]);

    const bob = connect('bob');
    const bobHere = deferred('bob here');
    bob
      .join('room.1')
      .here((members) => bobHere.resolve(members))
      .error((status) => bobHere.reject(new Error(`bob join failed: ${JSON.stringify(status)}`)));
    const seenByBob = (await bobHere.promise).map((m) => m.name).sort();
    assert.deepEqual(seenByBob, ['Alice', 'Bob']);
    assert.deepEqual(await bobJoined.promise, { name: 'Bob' });

    bob.leave('room.1');
    assert.deepEqual(await bobLeft.promise, { name: 'Bob' });
  });

  it('signs the user in through the user-auth endpoint', async () => {
    const echo = connect('bob');
    const pusher = echo.connector.pusher;
    pusher.signin();
    const userData = await waitFor('pusher:signin_success', () => pusher.user.user_data);
    assert.equal(userData.id, '2');
    const request = auth.requests.find((r) => r.path === POGO_USER_AUTH_ENDPOINT && r.form.socket_id === echo.socketId());
    assert.ok(request, 'user-auth endpoint was called for this socket');
    assert.equal(request.headers['x-test-user'], 'bob');
  });

  it('reports a refused authorization through the Echo error callback', async () => {
    const echo = connect('mallory');
    const failed = deferred('subscription error');
    echo
      .private('orders.2')
      .subscribed(() => failed.reject(new Error('an unknown user must not subscribe')))
      .error((status) => failed.resolve(status));
    const status = await failed.promise;
    assert.equal(status.status, 403);
  });
});
