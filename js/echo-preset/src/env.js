import { PogoEchoConfigError } from './errors.js';

/**
 * Returns env[name] as a trimmed string, or undefined when the variable is
 * absent, null or blank. Vite exposes `VITE_X=` as an empty string, which
 * therefore means "not set", never "set to nothing".
 *
 * @param {Record<string, unknown>} env
 * @param {string} name
 * @returns {string | undefined}
 */
export function envString(env, name) {
  const value = env[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/**
 * Parses a TCP port given as a number or a decimal string ("8080").
 * Accepts integers 1..65535; anything else throws POGO_INVALID_ENV naming `name`.
 *
 * @param {unknown} value
 * @param {string} name variable or option name used in the error message
 * @returns {number}
 */
export function parsePort(value, name) {
  const text = typeof value === 'number' ? String(value) : String(value).trim();
  const port = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PogoEchoConfigError(
      'POGO_INVALID_ENV',
      `${name} must be a port number between 1 and 65535, got ${JSON.stringify(value)}`,
      name,
    );
  }
  return port;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/**
 * Parses a boolean given as a boolean or a word: true/1/yes/on and
 * false/0/no/off (case-insensitive). Anything else throws POGO_INVALID_ENV.
 *
 * @param {unknown} value
 * @param {string} name variable or option name used in the error message
 * @returns {boolean}
 */
export function parseBoolean(value, name) {
  if (typeof value === 'boolean') {
    return value;
  }
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) {
    return true;
  }
  if (FALSE_WORDS.has(word)) {
    return false;
  }
  throw new PogoEchoConfigError(
    'POGO_INVALID_ENV',
    `${name} must be true or false (also accepted: 1/0, yes/no, on/off), got ${JSON.stringify(value)}`,
    name,
  );
}
