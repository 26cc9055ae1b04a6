import { PogoEchoConfigError } from './errors.js';
import { pogoEchoOptions } from './options.js';

/**
 * Creates a Laravel Echo instance connected to Pogo WebSocket.
 *
 * The pusher-js constructor is handed to Echo through its `Pusher` option,
 * which every laravel-echo 2.x reads before looking for `window.Pusher`, so no
 * global is needed. `Pusher` defaults to `globalThis.Pusher` when omitted.
 * With `attachToWindow: true` the instance is also stored as `window.Echo` and
 * the constructor as `window.Pusher` (the classic Laravel bootstrap globals;
 * `globalThis` stands in for `window` outside a browser).
 * Every other field is an override for {@link pogoEchoOptions}; `env` replaces
 * its variable source (default: Vite's import.meta.env).
 *
 * @param {object} params
 * @param {Function} params.Echo the laravel-echo default export
 * @param {Function} [params.Pusher] the pusher-js default export
 * @param {boolean} [params.attachToWindow=false] also set window.Echo and window.Pusher
 * @param {Record<string, unknown>} [params.env] variables instead of import.meta.env
 * @returns {object} the new Echo instance (already connecting)
 */
export function createPogoEcho(params) {
  if (params === null || typeof params !== 'object') {
    throw invalid('createPogoEcho expects an object such as { Echo, Pusher }');
  }
  const { Echo, Pusher = globalThis.Pusher, attachToWindow = false, env, ...overrides } = params;
  if (typeof Echo !== 'function') {
    throw invalid("createPogoEcho: pass the laravel-echo constructor as { Echo } (import Echo from 'laravel-echo')");
  }
  if (typeof Pusher !== 'function') {
    throw invalid("createPogoEcho: pass the pusher-js constructor as { Pusher } (import Pusher from 'pusher-js')");
  }
  const options = env === undefined ? pogoEchoOptions(overrides) : pogoEchoOptions(overrides, env);
  const echo = new Echo({ ...options, Pusher });
  if (attachToWindow) {
    const target = globalThis.window ?? globalThis;
    target.Pusher = Pusher;
    target.Echo = echo;
  }
  return echo;
}

function invalid(message) {
  return new PogoEchoConfigError('POGO_INVALID_ARGUMENT', message);
}
