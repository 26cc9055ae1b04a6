// Graceful shutdown (issue contract): SIGTERM closes every client with 4200
// ("reconnect immediately", preceded by a pusher:error) and the process
// exits cleanly. Needs a server process the suite controls.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, connected, subscribed, RawClient, wsUrl, uniq, once } from './harness.mjs';

protocolSuite('shutdown', { hubOnly: true }, (ctx) => {
  it('SIGTERM closes clients with 4200 and the server exits 0', async () => {
    const raws = [new RawClient(wsUrl(ctx.target)), new RawClient(wsUrl(ctx.target))];
    await Promise.all(raws.map((r) => r.established()));
    await raws[0].subscribe(uniq('busy-'));
    const p = connect(ctx.target);
    await connected(p);
    await subscribed(p, uniq('busy-'));
    const pusherJsLeft = once(p.connection, 'state_change', (s) => s.previous === 'connected');
    const { code, signal } = await ctx.target.stop();
    for (const r of raws) {
      const info = await r.closeInfo();
      assert.equal(info.code, 4200);
      const err = r.messages.items.find((m) => m.event === 'pusher:error');
      assert.equal(err?.data?.code, 4200, 'a pusher:error precedes the close');
    }
    await pusherJsLeft;
    assert.equal(signal, null);
    assert.equal(code, 0);
  });
});
