// Type declarations for @pogo/echo-preset (hand-written; the package ships plain ESM).
import type Echo from 'laravel-echo';
import type { EchoOptions } from 'laravel-echo';
import type Pusher from 'pusher-js';
import type { Options as PusherClientOptions } from 'pusher-js';

/** Variables the preset reads: Vite's `import.meta.env`, `process.env`, or any plain object. */
export type PogoEnv = { readonly [name: string]: unknown };

/** Headers sent to the auth endpoints. */
export type PogoHeaders = Record<string, string>;

/** Header overrides: a null or undefined value removes a header the preset would send. */
export type PogoHeaderOverrides = Record<string, string | null | undefined>;

/** Transports pusher-js may use. */
export type PogoTransport = NonNullable<PusherClientOptions['enabledTransports']>[number];

/** The options returned by {@link pogoEchoOptions}; every nested object is new on each call. */
export type PogoEchoOptions = EchoOptions<'reverb'> & {
  broadcaster: 'reverb';
  /** VITE_POGO_APP_KEY, or the `key` override. */
  key: string;
  /** VITE_POGO_HOST, else the page's hostname, else 'localhost'. */
  wsHost: string;
  /** VITE_POGO_PORT, default 80. */
  wsPort: number;
  /** VITE_POGO_WSS_PORT, default 443. */
  wssPort: number;
  /** VITE_POGO_FORCE_TLS, else true on an https: page. */
  forceTLS: boolean;
  /** Default ['ws', 'wss']. */
  enabledTransports: PogoTransport[];
  /** Default true. */
  disableStats: boolean;
  /** Default '/pogo/auth'. */
  authEndpoint: string;
  /** Headers default to X-CSRF-TOKEN from `<meta name="csrf-token">` when present. */
  auth: { headers: PogoHeaders; [field: string]: unknown };
  /** Endpoint default '/pogo/user-auth'; headers as for `auth`. */
  userAuthentication: { endpoint: string; headers: PogoHeaders; [field: string]: unknown };
};

/**
 * Overrides for {@link pogoEchoOptions}. Any Echo or pusher-js option is accepted
 * and wins over the preset; undefined values are ignored. Ports may be numeric
 * strings, forceTLS may be 'true'/'false'. `auth` and `userAuthentication` are
 * merged field by field and their headers key by key.
 */
export type PogoEchoOverrides = {
  broadcaster?: EchoOptions<'reverb'>['broadcaster'] | EchoOptions<'pusher'>['broadcaster'];
  key?: string;
  wsHost?: string;
  wsPort?: number | string;
  wssPort?: number | string;
  forceTLS?: boolean | string;
  enabledTransports?: PogoTransport[];
  disableStats?: boolean;
  authEndpoint?: string;
  auth?: { headers?: PogoHeaderOverrides; [field: string]: unknown };
  userAuthentication?: { endpoint?: string; headers?: PogoHeaderOverrides; [field: string]: unknown };
  [option: string]: unknown;
};

/**
 * Builds fresh Echo options for Pogo WebSocket from `overrides`, then `env`
 * (VITE_POGO_APP_KEY, VITE_POGO_HOST, VITE_POGO_PORT, VITE_POGO_WSS_PORT,
 * VITE_POGO_FORCE_TLS), then the page, then defaults.
 *
 * @param overrides Echo options that win over the preset.
 * @param env variables; defaults to `import.meta.env` (or `{}` where there is none).
 * @throws {PogoEchoConfigError} `POGO_MISSING_KEY` without a key, `POGO_INVALID_ENV`
 *   for an unparsable port or boolean, `POGO_INVALID_ARGUMENT` for arguments of the wrong type.
 */
export function pogoEchoOptions(overrides?: PogoEchoOverrides | null, env?: PogoEnv | null): PogoEchoOptions;

/** Parameters of {@link createPogoEcho}: constructors, flags, and overrides. */
export type CreatePogoEchoParams = PogoEchoOverrides & {
  /** The laravel-echo default export. */
  Echo: typeof Echo;
  /** The pusher-js default export; defaults to globalThis.Pusher. */
  Pusher?: typeof Pusher;
  /** Also set window.Echo and window.Pusher (globalThis outside a browser). Default false. */
  attachToWindow?: boolean;
  /** Variables instead of import.meta.env. */
  env?: PogoEnv;
};

/**
 * Creates a connected Echo instance from {@link pogoEchoOptions}, handing pusher-js
 * to Echo through its `Pusher` option.
 *
 * @throws {PogoEchoConfigError} as pogoEchoOptions, or `POGO_INVALID_ARGUMENT`
 *   when Echo or Pusher is not a constructor.
 */
export function createPogoEcho(params: CreatePogoEchoParams): Echo<'reverb'>;

/** Stable codes of {@link PogoEchoConfigError}. */
export type PogoEchoErrorCode = 'POGO_MISSING_KEY' | 'POGO_INVALID_ENV' | 'POGO_INVALID_ARGUMENT';

/** Thrown when the preset cannot build a usable configuration. */
export class PogoEchoConfigError extends Error {
  constructor(code: PogoEchoErrorCode, message: string, variable?: string);
  readonly name: 'PogoEchoConfigError';
  /** Machine-readable reason. */
  readonly code: PogoEchoErrorCode;
  /** The environment variable or option at fault, when there is one. */
  readonly variable?: string;
}

/** '/pogo/auth' */
export const POGO_AUTH_ENDPOINT: '/pogo/auth';
/** '/pogo/user-auth' */
export const POGO_USER_AUTH_ENDPOINT: '/pogo/user-auth';
/** 80 */
export const DEFAULT_WS_PORT: 80;
/** 443 */
export const DEFAULT_WSS_PORT: 443;
