import { csrfTokenFromMeta, pageHostname, pageIsSecure, pagePort } from './browser.js';
import { envString, parseBoolean, parsePort } from './env.js';
import { PogoEchoConfigError } from './errors.js';

/** Channel authorization endpoint served by the Pogo Laravel package. */
export const POGO_AUTH_ENDPOINT = '/pogo/auth';

/** User authentication (pusher:signin) endpoint served by the Pogo Laravel package. */
export const POGO_USER_AUTH_ENDPOINT = '/pogo/user-auth';

/** Plain WebSocket port used when VITE_POGO_PORT is unset. */
export const DEFAULT_WS_PORT = 80;

/** TLS WebSocket port used when VITE_POGO_WSS_PORT is unset. */
export const DEFAULT_WSS_PORT = 443;

/** Options computed by the preset itself; every other override is copied as given. */
const COMPUTED = new Set(['key', 'wsHost', 'wsPort', 'wssPort', 'forceTLS', 'auth', 'userAuthentication']);

/**
 * Builds the options for `new Echo(...)` or `configureEcho(...)` that connect
 * Laravel Echo (with pusher-js) to a Pogo WebSocket server.
 *
 * Every call returns a new object with new nested `auth`, `userAuthentication`,
 * header and transport objects, because Echo writes headers into the options it
 * receives. Sources, first match wins:
 * - key: `overrides.key`, VITE_POGO_APP_KEY; otherwise throws POGO_MISSING_KEY.
 * - wsHost: `overrides.wsHost`, VITE_POGO_HOST, the page's hostname, 'localhost'.
 * - wsPort / wssPort: overrides, VITE_POGO_PORT / VITE_POGO_WSS_PORT, the page's
 *   explicit port (wsPort on http: pages, wssPort on https: pages: Pogo serves
 *   the socket on the app's own port), 80 / 443. Strings are parsed; values
 *   outside 1..65535 throw POGO_INVALID_ENV.
 * - forceTLS: `overrides.forceTLS`, VITE_POGO_FORCE_TLS, true on an https: page,
 *   false otherwise.
 * - auth.headers / userAuthentication.headers: X-CSRF-TOKEN from
 *   `<meta name="csrf-token">` when a document has one, merged key by key with
 *   the override's headers (the override wins; null or undefined removes a header).
 * Fixed defaults, all overridable: broadcaster 'reverb' (no Pusher cluster),
 * enabledTransports ['ws', 'wss'], disableStats true, authEndpoint '/pogo/auth',
 * userAuthentication.endpoint '/pogo/user-auth'. Overrides equal to undefined
 * are ignored. Blank variables count as unset.
 *
 * @param {Record<string, unknown> | null} [overrides] Echo options that win over the preset
 * @param {Record<string, unknown> | null} [env] variables, defaults to Vite's import.meta.env
 * @returns {Record<string, unknown>} fresh Echo options
 */
export function pogoEchoOptions(overrides = {}, env = import.meta.env ?? {}) {
  const o = plainObject(overrides, 'overrides');
  const e = plainObject(env, 'env');
  const options = {
    broadcaster: 'reverb',
    key: resolveKey(o, e),
    wsHost: resolveHost(o, e),
    wsPort: resolvePort(o, e, 'wsPort', 'VITE_POGO_PORT', (!pageIsSecure() && pagePort()) || DEFAULT_WS_PORT),
    wssPort: resolvePort(o, e, 'wssPort', 'VITE_POGO_WSS_PORT', (pageIsSecure() && pagePort()) || DEFAULT_WSS_PORT),
    forceTLS: resolveForceTLS(o, e),
    enabledTransports: ['ws', 'wss'],
    disableStats: true,
    authEndpoint: POGO_AUTH_ENDPOINT,
  };
  for (const [name, value] of Object.entries(o)) {
    if (value !== undefined && !COMPUTED.has(name)) {
      options[name] = Array.isArray(value) ? [...value] : value;
    }
  }
  const csrf = csrfTokenFromMeta();
  const headers = csrf === undefined ? {} : { 'X-CSRF-TOKEN': csrf };
  options.auth = mergeSection({ headers }, o.auth, 'auth');
  options.userAuthentication = mergeSection(
    { endpoint: POGO_USER_AUTH_ENDPOINT, headers },
    o.userAuthentication,
    'userAuthentication',
  );
  return options;
}

function resolveKey(o, e) {
  const key = nonBlank(o.key, 'key') ?? envString(e, 'VITE_POGO_APP_KEY');
  if (key === undefined) {
    throw new PogoEchoConfigError(
      'POGO_MISSING_KEY',
      'Pogo Echo preset: the app key is missing. Set VITE_POGO_APP_KEY in .env ' +
        '(it must equal the server app key, by default WS_APP_ID) or pass { key } as an override.',
      'VITE_POGO_APP_KEY',
    );
  }
  return key;
}

function resolveHost(o, e) {
  return nonBlank(o.wsHost, 'wsHost') ?? envString(e, 'VITE_POGO_HOST') ?? pageHostname() ?? 'localhost';
}

function resolvePort(o, e, option, variable, fallback) {
  if (o[option] !== undefined) {
    return parsePort(o[option], option);
  }
  const text = envString(e, variable);
  return text === undefined ? fallback : parsePort(text, variable);
}

function resolveForceTLS(o, e) {
  if (o.forceTLS !== undefined) {
    return parseBoolean(o.forceTLS, 'forceTLS');
  }
  const text = envString(e, 'VITE_POGO_FORCE_TLS');
  return text === undefined ? pageIsSecure() : parseBoolean(text, 'VITE_POGO_FORCE_TLS');
}

/**
 * Copies base, then the override's defined fields, then merges headers key by
 * key; a header overridden with null or undefined is removed.
 */
function mergeSection(base, override, name) {
  const section = override === undefined ? {} : plainObject(override, name);
  const merged = { ...base };
  for (const [field, value] of Object.entries(section)) {
    if (value !== undefined && field !== 'headers') {
      merged[field] = value;
    }
  }
  const extra = section.headers === undefined ? {} : plainObject(section.headers, `${name}.headers`);
  merged.headers = { ...base.headers };
  for (const [header, value] of Object.entries(extra)) {
    if (value === undefined || value === null) {
      delete merged.headers[header];
    } else {
      merged.headers[header] = value;
    }
  }
  return merged;
}

/** A string or finite number as trimmed text; null, undefined and blanks are unset. */
function nonBlank(value, name) {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new PogoEchoConfigError(
      'POGO_INVALID_ARGUMENT',
      `Pogo Echo preset: ${name} must be a string, got ${typeof value}`,
      name,
    );
  }
  const text = value.trim();
  return text === '' ? undefined : text;
}

function plainObject(value, name) {
  if (value === null || value === undefined) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new PogoEchoConfigError(
      'POGO_INVALID_ARGUMENT',
      `Pogo Echo preset: ${name} must be an object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
      name,
    );
  }
  return value;
}
