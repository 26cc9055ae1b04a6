/**
 * Read-only access to the page the code runs in. Every function tolerates
 * non-browser hosts (Node, SSR, workers) and touches nothing at import time.
 */

/**
 * The current page location, or undefined outside a browser-like host.
 * Looks at `globalThis.location` first (browsers and workers), then
 * `globalThis.window.location` (shims such as jsdom or test fakes).
 *
 * @returns {{ protocol?: string, hostname?: string, port?: string } | undefined}
 */
export function pageLocation() {
  const loc = globalThis.location ?? globalThis.window?.location;
  return loc && typeof loc === 'object' ? loc : undefined;
}

/**
 * The page's hostname, or undefined when there is no page or it is blank
 * (file: URLs, about:blank).
 *
 * @returns {string | undefined}
 */
export function pageHostname() {
  const hostname = pageLocation()?.hostname;
  return typeof hostname === 'string' && hostname !== '' ? hostname : undefined;
}

/**
 * The page's explicit port as a number, or undefined when the URL has none
 * (the scheme's default port) or there is no page.
 *
 * @returns {number | undefined}
 */
export function pagePort() {
  const port = Number(pageLocation()?.port);
  return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
}

/**
 * True when the page was served over https:, false otherwise (including
 * outside a browser).
 *
 * @returns {boolean}
 */
export function pageIsSecure() {
  return pageLocation()?.protocol === 'https:';
}

/**
 * The content of `<meta name="csrf-token">` (Laravel's default layout tag),
 * or undefined when there is no document, no such tag, or it is empty.
 *
 * @returns {string | undefined}
 */
export function csrfTokenFromMeta() {
  const doc = globalThis.document;
  if (!doc || typeof doc.querySelector !== 'function') {
    return undefined;
  }
  const token = doc.querySelector('meta[name="csrf-token"]')?.getAttribute?.('content');
  return typeof token === 'string' && token !== '' ? token : undefined;
}
