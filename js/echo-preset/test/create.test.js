import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import Echo from 'laravel-echo';

import { createPogoEcho, PogoEchoConfigError } from '../src/index.js';
import { withPage } from '../test-support/page.js';

const env = { VITE_POGO_APP_KEY: 'pogo-app', VITE_POGO_PORT: '8080' };

/** Stands in for pusher-js: records what Echo hands it and connects nowhere. */
class FakePusher {
  static instances = [];
  constructor(key, options) {
    this.key = key;
    this.options = options;
    this.connection = { socket_id: '1.2', state: 'connected', bind() {}, unbind() {} };
    FakePusher.instances.push(this);
  }
  disconnect() {}
}

afterEach(() => {
  FakePusher.instances.length = 0;
  delete globalThis.Pusher;
  delete globalThis.Echo;
});

describe('createPogoEcho', () => {
  it('builds a real Echo with the preset and hands pusher-js over through the Pusher option', () => {
    const echo = createPogoEcho({ Echo, Pusher: FakePusher, env });
    assert.ok(echo instanceof Echo);
    assert.equal(FakePusher.instances.length, 1);
    const [client] = FakePusher.instances;
    assert.equal(client.key, 'pogo-app');
    assert.equal(client.options.wsHost, 'localhost');
    assert.equal(client.options.wsPort, 8080);
    assert.equal(client.options.cluster, '');
    assert.equal(client.options.authEndpoint, '/pogo/auth');
    assert.equal(client.options.userAuthentication.endpoint, '/pogo/user-auth');
    assert.equal(echo.socketId(), '1.2');
    assert.equal(globalThis.Pusher, undefined, 'no global is set by default');
    assert.equal(globalThis.Echo, undefined);
  });

  it('passes overrides through and keeps Echo header mutations per instance', async () => {
    await withPage({ csrf: 'tok' }, () => {
      createPogoEcho({ Echo, Pusher: FakePusher, env, bearerToken: 'b1', wsHost: 'ws.test' });
      createPogoEcho({ Echo, Pusher: FakePusher, env });
    });
    const [first, second] = FakePusher.instances;
    assert.equal(first.options.wsHost, 'ws.test');
    assert.equal(first.options.auth.headers.Authorization, 'Bearer b1');
    assert.equal(first.options.auth.headers['X-CSRF-TOKEN'], 'tok');
    assert.equal(second.options.auth.headers.Authorization, undefined, 'no header leaks between instances');
    assert.equal(second.options.userAuthentication.headers.Authorization, undefined);
  });

  it('attaches Echo and Pusher to window only when asked', async () => {
    await withPage({}, () => {
      const echo = createPogoEcho({ Echo, Pusher: FakePusher, env, attachToWindow: true });
      assert.equal(globalThis.window.Echo, echo);
      assert.equal(globalThis.window.Pusher, FakePusher);
    });
    const echo = createPogoEcho({ Echo, Pusher: FakePusher, env, attachToWindow: true });
    assert.equal(globalThis.Echo, echo, 'globalThis stands in for window outside a browser');
    assert.equal(globalThis.Pusher, FakePusher);
  });

  it('falls back to globalThis.Pusher', () => {
    globalThis.Pusher = FakePusher;
    createPogoEcho({ Echo, env });
    assert.equal(FakePusher.instances.length, 1);
  });

  it('rejects missing constructors with clear errors', () => {
    assert.throws(() => createPogoEcho(), { code: 'POGO_INVALID_ARGUMENT' });
    assert.throws(() => createPogoEcho({ Pusher: FakePusher, env }), (err) => err instanceof PogoEchoConfigError && /Echo/.test(err.message));
    assert.throws(() => createPogoEcho({ Echo, env }), (err) => err.code === 'POGO_INVALID_ARGUMENT' && /pusher-js/.test(err.message));
  });

  it('reports a missing key before constructing anything', () => {
    assert.throws(() => createPogoEcho({ Echo, Pusher: FakePusher, env: {} }), { code: 'POGO_MISSING_KEY' });
    assert.equal(FakePusher.instances.length, 0);
  });
});
