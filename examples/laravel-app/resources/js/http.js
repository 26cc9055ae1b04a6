// JSON POSTs to the app with Laravel's CSRF token and Echo's socket id
// (X-Socket-ID makes broadcast(...)->toOthers() skip this tab).

/** POSTs body as JSON and resolves with {ok, status, body}. */
export async function postJson(url, body, socketId) {
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'X-CSRF-TOKEN': document.querySelector('meta[name="csrf-token"]')?.content ?? '',
  };
  if (socketId) headers['X-Socket-ID'] = socketId;
  const r = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), credentials: 'same-origin' });
  let parsed = {};
  try { parsed = await r.json(); } catch { /* not JSON */ }
  return { ok: r.ok, status: r.status, body: parsed };
}
