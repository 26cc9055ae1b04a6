// Debian's headless Chromium (/usr/bin/chromium, never a downloaded browser)
// driven by playwright-core, and the page helpers of the chat scenario.

import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.POGO_CHROMIUM || '/usr/bin/chromium';

/** Generous wait for anything that crosses the server (a loaded 2-core box). */
export const WAIT_MS = 30_000;

const ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

/** Launches headless Chromium; each browser context gets its own fresh profile. */
export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * Opens a new context (own cookies) and logs in as user through the login
 * form. Resolves with the page on the chat room, or on the login page's
 * redirect target. Page errors are collected in page.errors.
 */
export async function loginAs(browser, baseUrl, user) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(`${baseUrl}/login`);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.click(`[data-testid="login-${user}"]`)]);
  return page;
}

/**
 * Waits until the page has recorded an event (window.chatEvents) of this
 * kind whose fields equal those of match, and resolves with it.
 */
export async function waitEvent(page, kind, match = {}) {
  const handle = await page.waitForFunction(([k, m]) => (window.chatEvents || []).find((e) => e.kind === k
    && Object.entries(m).every(([f, v]) => JSON.stringify(e[f]) === JSON.stringify(v))), [kind, match], { timeout: WAIT_MS });
  return handle.jsonValue();
}

/** Returns the events the page recorded, optionally only those of one kind. */
export async function events(page, kind) {
  const all = await page.evaluate(() => window.chatEvents || []);
  return kind ? all.filter((e) => e.kind === kind) : all;
}

/** Returns the trimmed text of every element matching [data-testid=id] > li. */
export async function listItems(page, id) {
  return page.$$eval(`[data-testid="${id}"] > li`, (lis) => lis.map((li) => li.textContent.trim()));
}

/**
 * POSTs JSON from the page's session (its cookies and CSRF token) and
 * resolves with {status, body}.
 */
export async function postFromPage(page, path, data) {
  const token = await page.getAttribute('meta[name="csrf-token"]', 'content');
  const r = await page.request.post(new URL(path, page.url()).toString(), {
    data, headers: { Accept: 'application/json', 'X-CSRF-TOKEN': token }, failOnStatusCode: false,
  });
  let body = {};
  try { body = await r.json(); } catch { /* not JSON */ }
  return { status: r.status(), body };
}
