// Real clients of the server under test: the official `pusher` Node SDK
// (HTTP API and signing), pusher-js 8.6 (Node build) and laravel-echo 2.5.
//
// The app's auth endpoint lives in the test process: pusher-js calls the
// customHandler of channelAuthorization/userAuthentication, which signs
// with the SDK exactly as a backend's /broadcasting/auth route would.

import PusherServer from 'pusher';
import Pusher from 'pusher-js';
import Echo from 'laravel-echo';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { withTimeout, DEFAULT_TIMEOUT_MS } from './wait.mjs';

/** A fixed 32-byte master key for end-to-end encrypted channels. */
export const MASTER_KEY_B64 = Buffer.from('pogo-protocol-suite-master-key!!').toString('base64');

const live = new Set();

/** Returns a `pusher` SDK client for target's HTTP API. */
export function sdk(target, extra = {}) {
  const u = new URL(target.apiUrl);
  return new PusherServer({
    appId: target.appId,
    key: target.key,
    secret: target.secret,
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    useTLS: u.protocol === 'https:',
    encryptionMasterKeyBase64: MASTER_KEY_B64,
    timeout: DEFAULT_TIMEOUT_MS,
    ...extra,
  });
}

/**
 * Builds the test process's auth endpoint as pusher-js custom handlers.
 *
 * identity.user: {id, user_info, watchlist} used for signin and presence.
 * identity.badSignature: sign channel auth with a wrong secret.
 * identity.omitChannelData: presence auth without channel_data (private-
 *   style signature), the path pusher-js takes for signed-in users.
 * identity.refuse(channelName): return true to answer like a 403.
 */
export function authHandlers(server, identity = {}) {
  const forged = new PusherServer({ appId: '1', key: server.config.token.key, secret: 'not-the-secret', encryptionMasterKeyBase64: MASTER_KEY_B64 });
  const channel = ({ socketId, channelName }, callback) => {
    try {
      if (identity.refuse?.(channelName)) return callback(new Error(`403 refused ${channelName}`), null);
      const signer = identity.badSignature ? forged : server;
      const presence = channelName.startsWith('presence-') && !identity.omitChannelData;
      const data = presence ? { user_id: identity.user?.id, user_info: identity.user?.user_info } : undefined;
      callback(null, signer.authorizeChannel(socketId, channelName, data));
    } catch (err) {
      callback(err, null);
    }
  };
  const user = ({ socketId }, callback) => {
    try {
      if (!identity.user) return callback(new Error('403 no user'), null);
      callback(null, server.authenticateUser(socketId, identity.user));
    } catch (err) {
      callback(err, null);
    }
  };
  return { channel, user };
}

/** pusher-js options pointing at target over plain ws. */
export function clientOptions(target, auth, extra = {}) {
  const u = new URL(target.wsUrl);
  const opts = {
    wsHost: u.hostname,
    wsPort: Number(u.port || 80),
    wssPort: Number(u.port || 443),
    forceTLS: u.protocol === 'wss:',
    enabledTransports: [u.protocol === 'wss:' ? 'wss' : 'ws'],
    disableStats: true,
    cluster: '',
    channelAuthorization: { customHandler: auth.channel },
    userAuthentication: { customHandler: auth.user },
    ...extra,
  };
  if (u.pathname && u.pathname !== '/') opts.wsPath = u.pathname.replace(/\/$/, '');
  return opts;
}

/**
 * Creates a pusher-js client (tracked for cleanup). identity is passed to
 * authHandlers; extra overrides pusher-js options.
 */
export function connect(target, identity = {}, extra = {}) {
  const p = new Pusher(target.key, clientOptions(target, authHandlers(sdk(target), identity), extra));
  live.add(p);
  return p;
}

/** Resolves with the socket id once p is connected. */
export function connected(p, ms = DEFAULT_TIMEOUT_MS) {
  if (p.connection.state === 'connected') return Promise.resolve(p.connection.socket_id);
  let h;
  const wait = new Promise((resolve) => {
    h = () => resolve(p.connection.socket_id);
    p.connection.bind('connected', h);
  });
  return withTimeout(wait, 'pusher-js connected', ms).finally(() => p.connection.unbind('connected', h));
}

/**
 * Subscribes p to name and resolves with the channel once the server
 * confirmed; rejects with the subscription_error payload otherwise.
 */
export function subscribed(p, name, ms = DEFAULT_TIMEOUT_MS) {
  const ch = p.channel(name) || p.subscribe(name);
  if (ch.subscribed) return Promise.resolve(ch);
  return settleChannel(ch, ms);
}

/** Waits for subscription_succeeded (resolves) or subscription_error (rejects) on ch. */
export function settleChannel(ch, ms = DEFAULT_TIMEOUT_MS) {
  let ok, ko;
  const wait = new Promise((resolve, reject) => {
    ok = () => resolve(ch);
    ko = (err) => reject(Object.assign(new Error(`subscription_error on ${ch.name}`), { detail: err }));
    ch.bind('pusher:subscription_succeeded', ok);
    ch.bind('pusher:subscription_error', ko);
  });
  return withTimeout(wait, `subscription of ${ch.name}`, ms).finally(() => {
    ch.unbind('pusher:subscription_succeeded', ok);
    ch.unbind('pusher:subscription_error', ko);
  });
}

/**
 * Calls p.signin() and resolves with the user_data once the server sent
 * pusher:signin_success and the #server-to-user- channel is subscribed.
 * Rejects on a signin error from the auth endpoint or a pusher:error.
 */
export function signedIn(p, ms = DEFAULT_TIMEOUT_MS) {
  let onMsg, onErr, onConnErr;
  const wait = new Promise((resolve, reject) => {
    const ready = () => {
      const ch = p.user.serverToUserChannel;
      if (!ch) return false;
      if (ch.subscribed) return resolve(p.user.user_data), true;
      ch.bind('pusher:subscription_succeeded', () => resolve(p.user.user_data));
      ch.bind('pusher:subscription_error', (e) => reject(Object.assign(new Error('#server-to-user- subscription refused'), { detail: e })));
      return true;
    };
    onMsg = (m) => {
      if (m?.event === 'pusher:signin_success') queueMicrotask(ready);
    };
    onErr = (e) => reject(Object.assign(new Error('signin error'), { detail: e }));
    onConnErr = (e) => {
      if (e?.type === 'PusherError') reject(Object.assign(new Error(`pusher:error during signin: ${JSON.stringify(e.data)}`), { detail: e.data }));
    };
    p.connection.bind('message', onMsg);
    p.connection.bind('error', onConnErr);
    p.user.bind('pusher:signin_error', onErr);
    if (!ready()) p.signin();
  });
  return withTimeout(wait, 'signin', ms).finally(() => {
    p.connection.unbind('message', onMsg);
    p.connection.unbind('error', onConnErr);
    p.user.unbind('pusher:signin_error', onErr);
  });
}

/**
 * Resolves with how the server refused ch's subscription: a
 * pusher:subscription_error on the channel or a pusher:error on the
 * connection ({via, data}). Rejects if the subscription succeeds.
 */
export function refused(p, ch, ms = DEFAULT_TIMEOUT_MS) {
  let onErr, onSubErr, onOk;
  const wait = new Promise((resolve, reject) => {
    onErr = (e) => {
      if (e?.type === 'PusherError') resolve({ via: 'pusher:error', data: e.data });
    };
    onSubErr = (data) => resolve({ via: 'pusher:subscription_error', data });
    onOk = () => reject(new Error(`subscription of ${ch.name} unexpectedly succeeded`));
    p.connection.bind('error', onErr);
    ch.bind('pusher:subscription_error', onSubErr);
    ch.bind('pusher:subscription_succeeded', onOk);
  });
  return withTimeout(wait, `refusal of ${ch.name}`, ms).finally(() => {
    p.connection.unbind('error', onErr);
    ch.unbind('pusher:subscription_error', onSubErr);
    ch.unbind('pusher:subscription_succeeded', onOk);
  });
}

/**
 * Creates a laravel-echo 2.5 instance (broadcaster 'reverb' by default)
 * backed by pusher-js and the in-process auth endpoint.
 */
export function echo(target, identity = {}, extra = {}) {
  const e = new Echo({
    broadcaster: 'reverb',
    key: target.key,
    Pusher,
    withoutInterceptors: true,
    ...clientOptions(target, authHandlers(sdk(target), identity)),
    ...extra,
  });
  live.add(e.connector.pusher);
  return e;
}

/** Disconnects every pusher-js/Echo client created by this module. */
export function disconnectAll() {
  for (const p of live) p.disconnect();
  live.clear();
}

/** A fresh channel-name suffix so tests never share channels. */
export function uniq(prefix = '') {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/**
 * Resolves with the HTTP status of an SDK request: 2xx on success, or the
 * status carried by the SDK's RequestError. Transport errors are rethrown.
 */
export async function httpStatus(request) {
  try {
    return (await request).status;
  } catch (err) {
    if (err.status) return err.status;
    throw err;
  }
}

/**
 * Signs an HTTP API request by hand (for negative tests the SDK refuses
 * to produce). Returns the full URL. params may override auth_* values.
 */
export function signedUrl(target, method, path, body = '', params = {}, secret = target.secret) {
  const q = {
    auth_key: target.key,
    auth_timestamp: String(Math.floor(Date.now() / 1000)),
    auth_version: '1.0',
    ...params,
  };
  if (body && q.body_md5 === undefined) q.body_md5 = md5(body);
  const fullPath = `/apps/${target.appId}${path}`;
  const sorted = Object.keys(q).sort().map((k) => `${k.toLowerCase()}=${q[k]}`).join('&');
  const sig = createHmac('sha256', secret).update(`${method}\n${fullPath}\n${sorted}`).digest('hex');
  const qs = new URLSearchParams({ ...q, auth_signature: q.auth_signature ?? sig });
  return `${target.apiUrl}${fullPath}?${qs}`;
}

function md5(s) {
  return createHash('md5').update(s).digest('hex');
}
