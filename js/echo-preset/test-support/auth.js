/**
 * Test helper: the two Laravel auth routes the preset points Echo at
 * (/pogo/auth and /pogo/user-auth), served by node:http on loopback and
 * signed with the `pusher` server SDK. The caller is identified by the
 * X-Test-User header, which the tests pass through the preset's header
 * overrides; unknown callers get 403. Every request is recorded.
 */
import { createServer } from 'node:http';

import { POGO_AUTH_ENDPOINT, POGO_USER_AUTH_ENDPOINT } from '../src/index.js';

const MAX_BODY_BYTES = 8 << 10;

/**
 * @param {{ sdk: import('pusher'), users: Record<string, { id: string, name: string }> }} params
 * @returns {Promise<{ url: string, requests: object[], stop: () => Promise<void> }>}
 */
export async function startAuthServer({ sdk, users }) {
  const requests = [];
  const server = createServer(async (req, res) => {
    try {
      const form = new URLSearchParams(await readBody(req));
      const user = users[req.headers['x-test-user']];
      requests.push({ path: req.url, headers: req.headers, form: Object.fromEntries(form) });
      if (req.method !== 'POST' || user === undefined) {
        return reply(res, 403, { message: 'forbidden' });
      }
      const socketId = form.get('socket_id') ?? '';
      if (req.url === POGO_AUTH_ENDPOINT) {
        return reply(res, 200, authorize(sdk, socketId, form.get('channel_name') ?? '', user));
      }
      if (req.url === POGO_USER_AUTH_ENDPOINT) {
        return reply(res, 200, sdk.authenticateUser(socketId, { id: user.id, user_info: { name: user.name } }));
      }
      return reply(res, 404, { message: 'not found' });
    } catch (err) {
      return reply(res, err.status ?? 400, { message: err.message });
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((done) => server.close(() => done())),
  };
}

function authorize(sdk, socketId, channel, user) {
  if (channel.startsWith('presence-')) {
    return sdk.authorizeChannel(socketId, channel, { user_id: user.id, user_info: { name: user.name } });
  }
  return sdk.authorizeChannel(socketId, channel);
}

function readBody(req) {
  return new Promise((done, fail) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > MAX_BODY_BYTES) {
        req.destroy();
        fail(Object.assign(new Error('body too large'), { status: 413 }));
      }
    });
    req.on('end', () => done(body));
    req.on('error', fail);
  });
}

function reply(res, status, body) {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
