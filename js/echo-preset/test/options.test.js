import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PogoEchoConfigError, pogoEchoOptions } from '../src/index.js';
import { withPage } from '../test-support/page.js';

const ENV = Object.freeze({ VITE_POGO_APP_KEY: 'pogo-app' });

describe('pogoEchoOptions defaults', () => {
  it('builds reverb options outside a browser', () => {
    assert.deepEqual(pogoEchoOptions({}, ENV), {
      broadcaster: 'reverb',
      key: 'pogo-app',
      wsHost: 'localhost',
      wsPort: 80,
      wssPort: 443,
      forceTLS: false,
      enabledTransports: ['ws', 'wss'],
      disableStats: true,
      authEndpoint: '/pogo/auth',
      auth: { headers: {} },
      userAuthentication: { endpoint: '/pogo/user-auth', headers: {} },
    });
  });

  it('has no cluster, so Echo reverb needs none', () => {
    assert.equal('cluster' in pogoEchoOptions({}, ENV), false);
  });

  it('reads Node import.meta.env as empty when no env is given', () => {
    assert.throws(() => pogoEchoOptions(), { code: 'POGO_MISSING_KEY' });
    assert.equal(pogoEchoOptions({ key: 'k' }).key, 'k');
  });

  it('accepts null for overrides and env', () => {
    assert.equal(pogoEchoOptions(null, ENV).key, 'pogo-app');
    assert.equal(pogoEchoOptions({ key: 'k' }, null).key, 'k');
  });
});

describe('pogoEchoOptions env', () => {
  it('reads host and ports from VITE_POGO_*, parsing numbers', () => {
    const o = pogoEchoOptions({}, { ...ENV, VITE_POGO_HOST: 'ws.example.com', VITE_POGO_PORT: '8080', VITE_POGO_WSS_PORT: ' 8443 ' });
    assert.equal(o.wsHost, 'ws.example.com');
    assert.equal(o.wsPort, 8080);
    assert.equal(o.wssPort, 8443);
  });

  it('treats blank variables as unset', () => {
    const o = pogoEchoOptions({}, { ...ENV, VITE_POGO_HOST: '', VITE_POGO_PORT: '  ', VITE_POGO_FORCE_TLS: '' });
    assert.equal(o.wsHost, 'localhost');
    assert.equal(o.wsPort, 80);
    assert.equal(o.forceTLS, false);
  });

  it('throws a clear error naming VITE_POGO_APP_KEY when the key is missing', () => {
    for (const env of [{}, { VITE_POGO_APP_KEY: '' }, { VITE_POGO_APP_KEY: '   ' }]) {
      assert.throws(
        () => pogoEchoOptions({}, env),
        (err) =>
          err instanceof PogoEchoConfigError &&
          err instanceof Error &&
          err.code === 'POGO_MISSING_KEY' &&
          err.variable === 'VITE_POGO_APP_KEY' &&
          err.message.includes('VITE_POGO_APP_KEY'),
      );
    }
  });

  it('rejects ports that are not integers in 1..65535', () => {
    for (const bad of ['0', '65536', '80a', '-1', '8.5', 'http', '0x50']) {
      assert.throws(
        () => pogoEchoOptions({}, { ...ENV, VITE_POGO_PORT: bad }),
        (err) => err.code === 'POGO_INVALID_ENV' && err.variable === 'VITE_POGO_PORT' && err.message.includes(bad),
        bad,
      );
    }
    assert.throws(() => pogoEchoOptions({}, { ...ENV, VITE_POGO_WSS_PORT: '99999' }), { variable: 'VITE_POGO_WSS_PORT' });
  });

  it('parses VITE_POGO_FORCE_TLS words and rejects others', () => {
    for (const [text, want] of [['true', true], ['1', true], ['YES', true], ['on', true], ['false', false], ['0', false], ['no', false], ['Off', false]]) {
      assert.equal(pogoEchoOptions({}, { ...ENV, VITE_POGO_FORCE_TLS: text }).forceTLS, want, text);
    }
    assert.throws(() => pogoEchoOptions({}, { ...ENV, VITE_POGO_FORCE_TLS: 'maybe' }), {
      code: 'POGO_INVALID_ENV',
      variable: 'VITE_POGO_FORCE_TLS',
    });
  });

  it('rejects arguments of the wrong type with a clear error', () => {
    assert.throws(() => pogoEchoOptions('key', ENV), { code: 'POGO_INVALID_ARGUMENT', variable: 'overrides' });
    assert.throws(() => pogoEchoOptions({}, ['x']), { code: 'POGO_INVALID_ARGUMENT', variable: 'env' });
    assert.throws(() => pogoEchoOptions({ auth: 'x' }, ENV), { code: 'POGO_INVALID_ARGUMENT', variable: 'auth' });
    assert.throws(() => pogoEchoOptions({ key: { id: 1 } }, ENV), { code: 'POGO_INVALID_ARGUMENT', variable: 'key' });
    assert.throws(() => pogoEchoOptions({ wsHost: true }, ENV), { code: 'POGO_INVALID_ARGUMENT', variable: 'wsHost' });
    assert.throws(() => pogoEchoOptions({ userAuthentication: { headers: 5 } }, ENV), {
      variable: 'userAuthentication.headers',
    });
  });
});

describe('pogoEchoOptions overrides', () => {
  it('lets every field be overridden, env included', () => {
    const o = pogoEchoOptions(
      {
        key: 'other',
        wsHost: 'h',
        wsPort: '6001',
        wssPort: 6002,
        forceTLS: 'true',
        enabledTransports: ['ws'],
        disableStats: false,
        authEndpoint: '/custom/auth',
        broadcaster: 'pusher',
        cluster: 'mt1',
        namespace: false,
      },
      { ...ENV, VITE_POGO_HOST: 'env-host', VITE_POGO_PORT: '1', VITE_POGO_FORCE_TLS: 'false' },
    );
    assert.equal(o.key, 'other');
    assert.equal(o.wsHost, 'h');
    assert.equal(o.wsPort, 6001);
    assert.equal(o.wssPort, 6002);
    assert.equal(o.forceTLS, true);
    assert.deepEqual(o.enabledTransports, ['ws']);
    assert.equal(o.disableStats, false);
    assert.equal(o.authEndpoint, '/custom/auth');
    assert.equal(o.broadcaster, 'pusher');
    assert.equal(o.cluster, 'mt1');
    assert.equal(o.namespace, false);
  });

  it('falls back to env when the key or host override is blank or null', () => {
    const o = pogoEchoOptions({ key: ' ', wsHost: null }, { ...ENV, VITE_POGO_HOST: 'env-host' });
    assert.equal(o.key, 'pogo-app');
    assert.equal(o.wsHost, 'env-host');
  });

  it('ignores overrides that are undefined', () => {
    const o = pogoEchoOptions({ wsHost: undefined, wsPort: undefined, forceTLS: undefined, disableStats: undefined }, ENV);
    assert.equal(o.wsHost, 'localhost');
    assert.equal(o.wsPort, 80);
    assert.equal(o.forceTLS, false);
    assert.equal(o.disableStats, true);
  });

  it('validates overridden ports and forceTLS', () => {
    assert.throws(() => pogoEchoOptions({ wsPort: 0 }, ENV), { code: 'POGO_INVALID_ENV', variable: 'wsPort' });
    assert.throws(() => pogoEchoOptions({ wssPort: 'x' }, ENV), { variable: 'wssPort' });
    assert.throws(() => pogoEchoOptions({ forceTLS: 'perhaps' }, ENV), { variable: 'forceTLS' });
  });

  it('deep-merges auth and userAuthentication', () => {
    const o = pogoEchoOptions(
      {
        auth: { headers: { Authorization: 'Bearer t' }, params: { team: '1' } },
        userAuthentication: { endpoint: '/u', headers: { 'X-A': 'a' } },
      },
      ENV,
    );
    assert.deepEqual(o.auth, { headers: { Authorization: 'Bearer t' }, params: { team: '1' } });
    assert.deepEqual(o.userAuthentication, { endpoint: '/u', headers: { 'X-A': 'a' } });
  });
});

describe('pogoEchoOptions in a browser', () => {
  it('uses the page hostname and plain ws on http:', async () => {
    await withPage({ protocol: 'http:', hostname: 'shop.test' }, () => {
      const o = pogoEchoOptions({}, ENV);
      assert.equal(o.wsHost, 'shop.test');
      assert.equal(o.forceTLS, false);
    });
  });

  it('forces TLS on https: pages unless env or overrides say otherwise', async () => {
    await withPage({ protocol: 'https:', hostname: 'shop.test' }, () => {
      assert.equal(pogoEchoOptions({}, ENV).forceTLS, true);
      assert.equal(pogoEchoOptions({}, { ...ENV, VITE_POGO_FORCE_TLS: 'false' }).forceTLS, false);
      assert.equal(pogoEchoOptions({ forceTLS: false }, { ...ENV, VITE_POGO_FORCE_TLS: 'true' }).forceTLS, false);
    });
    await withPage({ protocol: 'http:' }, () => {
      assert.equal(pogoEchoOptions({}, { ...ENV, VITE_POGO_FORCE_TLS: 'true' }).forceTLS, true);
      assert.equal(pogoEchoOptions({ forceTLS: true }, ENV).forceTLS, true);
    });
  });

  it('defaults the port of the page\'s scheme to the page\'s explicit port', async () => {
    await withPage({ protocol: 'http:', hostname: 'shop.test', port: '8080' }, () => {
      const o = pogoEchoOptions({}, ENV);
      assert.equal(o.wsPort, 8080);
      assert.equal(o.wssPort, 443);
      assert.equal(pogoEchoOptions({}, { ...ENV, VITE_POGO_PORT: '6001' }).wsPort, 6001);
      assert.equal(pogoEchoOptions({ wsPort: 7001 }, ENV).wsPort, 7001);
    });
    await withPage({ protocol: 'https:', hostname: 'shop.test', port: '8443' }, () => {
      const o = pogoEchoOptions({}, ENV);
      assert.equal(o.wsPort, 80);
      assert.equal(o.wssPort, 8443);
    });
    await withPage({ protocol: 'http:', hostname: 'shop.test' }, () => {
      assert.equal(pogoEchoOptions({}, ENV).wsPort, 80);
    });
  });

  it('prefers VITE_POGO_HOST over the page hostname, and falls back on blank hostnames', async () => {
    await withPage({ hostname: 'shop.test' }, () => {
      assert.equal(pogoEchoOptions({}, { ...ENV, VITE_POGO_HOST: 'ws.shop.test' }).wsHost, 'ws.shop.test');
    });
    await withPage({ protocol: 'file:', hostname: '' }, () => {
      assert.equal(pogoEchoOptions({}, ENV).wsHost, 'localhost');
    });
  });

  it('sends the csrf meta token to both auth endpoints, merged with override headers', async () => {
    await withPage({ csrf: 'tok123' }, () => {
      const o = pogoEchoOptions({ auth: { headers: { 'X-Team': '7' } } }, ENV);
      assert.deepEqual(o.auth.headers, { 'X-CSRF-TOKEN': 'tok123', 'X-Team': '7' });
      assert.deepEqual(o.userAuthentication.headers, { 'X-CSRF-TOKEN': 'tok123' });
      const replaced = pogoEchoOptions({ userAuthentication: { headers: { 'X-CSRF-TOKEN': 'mine' } } }, ENV);
      assert.equal(replaced.userAuthentication.headers['X-CSRF-TOKEN'], 'mine');
      assert.equal(replaced.userAuthentication.endpoint, '/pogo/user-auth');
      const removed = pogoEchoOptions({ auth: { headers: { 'X-CSRF-TOKEN': null } } }, ENV);
      assert.deepEqual(removed.auth.headers, {});
      assert.deepEqual(removed.userAuthentication.headers, { 'X-CSRF-TOKEN': 'tok123' });
    });
  });

  it('omits the header when the page has no csrf meta tag', async () => {
    await withPage({}, () => {
      assert.deepEqual(pogoEchoOptions({}, ENV).auth.headers, {});
    });
  });
});

describe('pogoEchoOptions freshness', () => {
  it('returns new nested objects on every call', () => {
    const a = pogoEchoOptions({}, ENV);
    const b = pogoEchoOptions({}, ENV);
    assert.notEqual(a, b);
    assert.notEqual(a.auth, b.auth);
    assert.notEqual(a.auth.headers, b.auth.headers);
    assert.notEqual(a.userAuthentication, b.userAuthentication);
    assert.notEqual(a.userAuthentication.headers, b.userAuthentication.headers);
    assert.notEqual(a.auth.headers, a.userAuthentication.headers);
    assert.notEqual(a.enabledTransports, b.enabledTransports);
  });

  it('is not affected by mutating a previous result (as Echo does)', () => {
    const a = pogoEchoOptions({}, ENV);
    a.auth.headers['X-CSRF-TOKEN'] = 'leaked';
    a.userAuthentication.headers.Authorization = 'Bearer leaked';
    a.enabledTransports.push('xhr_streaming');
    const b = pogoEchoOptions({}, ENV);
    assert.deepEqual(b.auth.headers, {});
    assert.deepEqual(b.userAuthentication.headers, {});
    assert.deepEqual(b.enabledTransports, ['ws', 'wss']);
  });

  it('does not share or mutate the caller override objects', () => {
    const overrides = { auth: { headers: { A: '1' } }, enabledTransports: ['ws'] };
    const o = pogoEchoOptions(overrides, ENV);
    o.auth.headers.B = '2';
    o.enabledTransports.push('wss');
    assert.deepEqual(overrides, { auth: { headers: { A: '1' } }, enabledTransports: ['ws'] });
  });
});
