/**
 * @pogo/echo-preset: Laravel Echo options for Pogo WebSocket.
 * Importing this module has no side effects.
 */
export {
  pogoEchoOptions,
  POGO_AUTH_ENDPOINT,
  POGO_USER_AUTH_ENDPOINT,
  DEFAULT_WS_PORT,
  DEFAULT_WSS_PORT,
} from './options.js';
export { createPogoEcho } from './create.js';
export { PogoEchoConfigError } from './errors.js';
