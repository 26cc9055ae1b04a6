/**
 * Error thrown when the preset cannot build a usable Echo configuration.
 *
 * `code` is stable and machine-readable:
 * - `POGO_MISSING_KEY`: no app key (set VITE_POGO_APP_KEY or pass `key`).
 * - `POGO_INVALID_ENV`: a VITE_POGO_* variable (or the matching override) has a
 *   value that cannot be parsed; `variable` names it.
 * - `POGO_INVALID_ARGUMENT`: an argument or option has the wrong type (a
 *   non-object where an object is expected, a non-string key or host, a
 *   missing Echo or pusher-js constructor).
 */
export class PogoEchoConfigError extends Error {
  /**
   * @param {string} code one of the codes listed on the class
   * @param {string} message human-readable explanation naming the offending input
   * @param {string} [variable] the environment variable or option at fault
   */
  constructor(code, message, variable) {
    super(message);
    this.name = 'PogoEchoConfigError';
    this.code = code;
    if (variable !== undefined) {
      this.variable = variable;
    }
  }
}
