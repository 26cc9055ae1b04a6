// A byte-level WebSocket client over node:net for hostile-input tests: it
// writes frames exactly as told (masked or not, any opcode, reserved bits,
// lengths that lie) and decodes what the server sends back, so each test
// can assert the server's answer: a pusher:error, the close code, the end
// of the TCP connection.

import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * Encodes one client frame. opts: {fin=true, op=1, mask=true, rsv=0,
 * length (declared length, default payload.length)}.
 */
export function frame(payload, { fin = true, op = 1, mask = true, rsv = 0, length } = {}) {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload ?? '');
  const n = length ?? body.length;
  const head = [(fin ? 0x80 : 0) | (rsv << 4) | op];
  const m = mask ? 0x80 : 0;
  if (n < 126) head.push(m | n);
  else if (n <= 0xffff) head.push(m | 126, n >> 8, n & 0xff);
  else {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    head.push(m | 127, ...b);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), body]);
  const key = randomBytes(4);
  const masked = Buffer.from(body);
  for (let i = 0; i < masked.length; i++) masked[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), key, masked]);
}

/** A close frame body: 2-byte code and a reason (Buffer or string). */
export function closeBody(code, reason = '') {
  const r = Buffer.isBuffer(reason) ? reason : Buffer.from(reason);
  const b = Buffer.alloc(2 + r.length);
  b.writeUInt16BE(code);
  r.copy(b, 2);
  return b;
}

/**
 * One raw connection. After open(): events (decoded server text messages),
 * pongs (payloads of server pong frames), closeCode (code of the server's
 * close frame, null until one arrived), ended (promise settled when the TCP
 * connection ends, with {closeCode, bytes}).
 */
export class WireClient {
  constructor(wsUrl, path) {
    const u = new URL(wsUrl);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.path = path;
    this.events = [];
    this.pongs = [];
    this.closeCode = null;
    this.closeReason = '';
    this.bytes = 0;
    this.buf = Buffer.alloc(0);
    this.waiters = new Set();
  }

  /** Connects and performs the upgrade; resolves with the HTTP status line. */
  open(headers = {}) {
    return new Promise((resolve, reject) => {
      const s = connect(this.port, this.host);
      this.socket = s;
      this.ended = new Promise((res) => s.once('close', () => { this.notify(); res({ closeCode: this.closeCode, bytes: this.bytes }); }));
      s.on('error', (e) => { this.error = e; });
      let head = Buffer.alloc(0);
      const onData = (d) => {
        head = Buffer.concat([head, d]);
        const i = head.indexOf('\r\n\r\n');
        if (i < 0) return;
        s.off('data', onData);
        this.status = head.subarray(0, i).toString().split('\r\n')[0];
        s.on('data', (x) => this.onData(x));
        if (head.length > i + 4) this.onData(head.subarray(i + 4));
        resolve(this.status);
      };
      s.on('data', onData);
      s.once('close', () => reject(new Error(`closed during handshake: ${head}`)));
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      s.write(`GET ${this.path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`);
    });
  }

  onData(d) {
    this.bytes += d.length;
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const f = parseServerFrame(this.buf);
      if (!f) break;
      this.buf = this.buf.subarray(f.size);
      if (f.op === 1) {
        try { this.events.push(JSON.parse(f.payload.toString())); } catch { this.events.push({ raw: f.payload.toString() }); }
      } else if (f.op === 0xa) this.pongs.push(f.payload);
      else if (f.op === 8) {
        this.closeCode = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
        this.closeReason = f.payload.subarray(2).toString();
      }
    }
    this.notify();
  }

  notify() { for (const w of [...this.waiters]) w(); }

  /** Resolves when pred() holds, rejects after ms. */
  until(pred, what, ms = 15_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pred()) { clearTimeout(t); this.waiters.delete(check); resolve(); }
      };
      const t = setTimeout(() => { this.waiters.delete(check); reject(new Error(`timeout waiting for ${what}; events ${JSON.stringify(this.events).slice(0, 400)} close ${this.closeCode}`)); }, ms);
      this.waiters.add(check);
      check();
    });
  }

  /** Waits for connection_established and returns the socket id. */
  async established() {
    await this.until(() => this.events.some((e) => e.event === 'pusher:connection_established'), 'connection_established');
    this.socketId = JSON.parse(this.events.find((e) => e.event === 'pusher:connection_established').data).socket_id;
    return this.socketId;
  }

  write(buf) { return new Promise((res) => this.socket.write(buf, () => res())); }

  /** Sends obj as one masked JSON text frame. */
  send(obj) { return this.write(frame(JSON.stringify(obj))); }

  /** Resolves with the close code once the TCP connection ended. */
  async closed(ms = 15_000) {
    await this.until(() => this.socket.destroyed || this.socket.readableEnded, 'end of the connection', ms);
    return this.closeCode;
  }

  destroy() { this.socket?.destroy(); }
}

/** Decodes one unmasked server frame from buf, or null if incomplete. */
function parseServerFrame(buf) {
  if (buf.length < 2) return null;
  const op = buf[0] & 0x0f;
  let n = buf[1] & 0x7f;
  let off = 2;
  if (n === 126) {
    if (buf.length < 4) return null;
    n = buf.readUInt16BE(2);
    off = 4;
  } else if (n === 127) {
    if (buf.length < 10) return null;
    n = Number(buf.readBigUInt64BE(2));
    off = 10;
  }
  if (buf.length < off + n) return null;
  return { op, payload: buf.subarray(off, off + n), size: off + n };
}
