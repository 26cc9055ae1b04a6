// A raw WebSocket client for negative tests: it speaks the Pusher envelope
// by hand, can send malformed frames, never answers pusher:ping on its own,
// and (autoPong off) does not even answer WebSocket control pings.

import WebSocket from 'ws';
import { recorder, withTimeout, DEFAULT_TIMEOUT_MS } from './wait.mjs';

const open = new Set();

/**
 * Builds the WebSocket URL for app key, with the query string pusher-js
 * sends. query overrides or removes parameters (value null removes).
 */
export function wsUrl(target, key = target.key, query = {}) {
  const q = { protocol: '7', client: 'js', version: '8.6.0', flash: 'false', ...query };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== null) params.set(k, v);
  return `${target.wsUrl}/app/${key}?${params}`;
}

/**
 * One raw connection. messages records every decoded server message as
 * {event, channel, data, user_id, raw}; data is JSON-decoded when it is a
 * JSON string (Pusher double encoding), as pusher-js does.
 */
export class RawClient {
  constructor(url, { autoPong = false } = {}) {
    this.url = url;
    this.ws = new WebSocket(url, { autoPong });
    this.waiters = new Set();
    this.messages = recorder([], this.waiters, 'raw message');
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => {
        open.delete(this);
        this.closedInfo = { code, reason: reason.toString() };
        // Nothing can arrive any more: settle every pending wait now.
        for (const w of [...this.waiters]) {
          w.check();
          w.fail(new Error(`connection closed (${code} ${reason})`));
        }
        resolve({ code, reason: reason.toString() });
      });
    });
    this.ws.on('error', (err) => {
      this.error = err;
    });
    this.ws.on('message', (buf, isBinary) => {
      this.messages.items.push(decode(buf, isBinary));
      for (const w of this.waiters) w.check();
    });
    open.add(this);
  }

  /** Waits for the first message matching predicate (by event name if a string). */
  next(predicate, ms = DEFAULT_TIMEOUT_MS) {
    const p = typeof predicate === 'string' ? (m) => m.event === predicate : predicate;
    const label = `raw message ${typeof predicate === 'string' ? predicate : 'matching predicate'}`;
    // Fails fast when the server closes the connection instead of answering.
    if (this.closedInfo && this.messages.items.findIndex(p) < 0) {
      const { code, reason } = this.closedInfo;
      return Promise.reject(new Error(`connection closed (${code} ${reason}) while waiting for ${label}`));
    }
    return this.messages.waitFor(p, ms, label);
  }

  /** Resolves with connection_established's decoded data ({socket_id, activity_timeout}). */
  async established() {
    const m = await this.next('pusher:connection_established');
    this.socketId = m.data.socket_id;
    return m.data;
  }

  /** Sends an object as one JSON text frame. */
  send(obj) {
    this.ws.send(JSON.stringify(obj));
  }

  /** Sends a string as one text frame, byte for byte. */
  sendText(text) {
    this.ws.send(text);
  }

  /** Sends a binary frame. */
  sendBinary(buf) {
    this.ws.send(buf, { binary: true });
  }

  /** Subscribes and waits for subscription_succeeded or a pusher:error/subscription_error. */
  async subscribe(channel, extra = {}) {
    this.send({ event: 'pusher:subscribe', data: { channel, ...extra } });
    return this.next((m) => (m.event === 'pusher_internal:subscription_succeeded' && m.channel === channel) ||
      m.event === 'pusher:error' || (m.event === 'pusher:subscription_error' && m.channel === channel));
  }

  /** Resolves with {code, reason} of the close, failing after the deadline. */
  closeInfo(ms = DEFAULT_TIMEOUT_MS) {
    return withTimeout(this.closed, `close of ${this.url}`, ms);
  }

  /**
   * Closes the connection with 1000 if still open; the TCP connection is
   * torn down if the server has not answered the close within 3 s.
   */
  close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(1000);
      const t = setTimeout(() => this.ws.terminate(), 3000);
      this.closed.then(() => clearTimeout(t));
    }
    return this.closed;
  }
}

function decode(buf, isBinary) {
  const raw = buf.toString();
  let msg;
  try {
    msg = JSON.parse(raw);
  } catch {
    return { event: undefined, raw, binary: isBinary };
  }
  msg.rawData = msg.data;
  if (typeof msg.data === 'string') {
    try {
      msg.data = JSON.parse(msg.data);
    } catch {
      // a plain string payload stays a string
    }
  }
  msg.raw = raw;
  return msg;
}

/** Closes every raw client still open (test cleanup). */
export async function closeAllRaw() {
  await Promise.all([...open].map((c) => c.close()));
}
